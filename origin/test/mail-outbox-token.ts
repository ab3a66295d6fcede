/** The bearer token of the test run's mail outbox (global-setup.ts starts it; test/mail.ts sends to it). */
export const TEST_MAIL_OUTBOX_TOKEN = "test-mail-outbox-token";
