// The org as request handlers and services see it once authenticated.

/** An org (tenant) row, as loaded by API-key authentication. */
export interface OrgRecord {
  id: string;
  slug: string;
  name: string;
  url: string | null;
}
