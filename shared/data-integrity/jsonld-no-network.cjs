// Stands in for @digitalbazaar/http-client inside `jsonld` (see jsonld-platform.mjs): Laurel
// never lets jsonld fetch anything, so its Node document loader gets no HTTP client at all.
"use strict";
module.exports = {
  httpClient: undefined,
};
