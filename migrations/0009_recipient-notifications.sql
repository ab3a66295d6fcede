CREATE TABLE `notifications` (
	`credential_id` text NOT NULL,
	`kind` text NOT NULL,
	`org_id` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`resends` integer DEFAULT 0 NOT NULL,
	`lease_until` integer,
	`due_at` integer NOT NULL,
	`last_error` text,
	`provider_message_id` text,
	`sent_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`credential_id`, `kind`)
);
--> statement-breakpoint
CREATE INDEX `notifications_status_due_idx` ON `notifications` (`status`,`due_at`);--> statement-breakpoint
CREATE TABLE `org_notification_settings` (
	`org_id` text PRIMARY KEY NOT NULL,
	`notify_on_revocation` integer DEFAULT true NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `recipient_credentials` (
	`credential_id` text PRIMARY KEY NOT NULL,
	`email_hash` text NOT NULL,
	`hidden` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE INDEX `recipient_credentials_email_idx` ON `recipient_credentials` (`email_hash`);--> statement-breakpoint
CREATE TABLE `recipient_opt_outs` (
	`email_hash` text NOT NULL,
	`org_id` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`email_hash`, `org_id`)
);
--> statement-breakpoint
CREATE TABLE `recipient_preferences` (
	`email_hash` text PRIMARY KEY NOT NULL,
	`hide_name` integer DEFAULT false NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `wallet_sessions` (
	`session_hash` text PRIMARY KEY NOT NULL,
	`email_hash` text NOT NULL,
	`csrf_token` text NOT NULL,
	`expires_at` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `wallet_sign_in_tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`email_hash` text NOT NULL,
	`purpose` text NOT NULL,
	`client_hash` text,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `wallet_tokens_email_idx` ON `wallet_sign_in_tokens` (`email_hash`,`created_at`);--> statement-breakpoint
CREATE INDEX `wallet_tokens_client_idx` ON `wallet_sign_in_tokens` (`client_hash`,`created_at`);--> statement-breakpoint
ALTER TABLE `achievements` ADD `notify_recipients` integer DEFAULT true NOT NULL;