// Which User-Agents count as self-announced bots (edge/README.md "Analytics").
import { describe, expect, it } from "vitest";
import { isSelfAnnouncedBot } from "./bots.ts";

describe("isSelfAnnouncedBot", () => {
  it.each([
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Twitterbot/1.0",
    "WhatsApp/2.23.20.0",
    "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "Mozilla/5.0 (compatible; Baiduspider/2.0)",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko; compatible; Bytespider)",
  ])("%s is a bot", (ua) => expect(isSelfAnnouncedBot(ua)).toBe(true));

  it.each([
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "curl/8.5.0",
    "python-requests/2.32.3",
    "node",
    "",
    null,
    undefined,
  ])("%s is not a bot", (ua) => expect(isSelfAnnouncedBot(ua)).toBe(false));

  it("looks at a bounded prefix of a huge header", () => {
    expect(isSelfAnnouncedBot(`${"a".repeat(100_000)}Googlebot`)).toBe(false);
    expect(isSelfAnnouncedBot(`Googlebot/2.1 ${"a".repeat(100_000)}`)).toBe(true);
  });
});
