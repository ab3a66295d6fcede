// Generated browser bundles (edge/assets/dist/*.js.txt) are imported as Text modules (wrangler's
// default rule for *.txt; the vitest plugin does the same).
declare module "*.txt" {
  const text: string;
  export default text;
}
