// Which requests come from software that announces itself as a bot in its User-Agent: search
// crawlers, link-preview fetchers (LinkedIn, Slack, Facebook, X, WhatsApp, ...), SEO and archive
// spiders. They are counted apart from people (edge/README.md "Analytics").
// Generic HTTP clients (curl, wget, language libraries) are NOT bots here: they are how verifiers
// call the verification API, and they do not announce themselves as crawlers. A missing
// User-Agent is not a bot either: nothing was announced.
// Hand-written (no bot-list library): one bounded regular expression without nested quantifiers, so
// its cost is linear in the header, which is also cut to MAX_UA_CHARS first.

/** Longest User-Agent prefix examined. */
const MAX_UA_CHARS = 512;

const BOT_UA =
  /bot\b|bot\/|crawl|spider|slurp|facebookexternalhit|facebookcatalog|embedly|iframely|whatsapp|skypeuripreview|pinterest|vkshare|ia_archiver|google-inspectiontool|mediapartners-google|apis-google|preview/i;

/** True when the User-Agent announces a bot, crawler, spider or link-preview fetcher. */
export function isSelfAnnouncedBot(userAgent: string | null | undefined): boolean {
  if (!userAgent) return false;
  return BOT_UA.test(userAgent.slice(0, MAX_UA_CHARS));
}
