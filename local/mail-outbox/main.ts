// CLI: node local/mail-outbox/main.ts --dir .data/mail --port 8025
// Environment: MAIL_OUTBOX_TOKEN (required: the bearer token POST /messages must carry; never a
// flag, since a process's command line is readable by every local user).
import { parseArgs } from "node:util";
import { startMailOutbox } from "./server.ts";

const { values } = parseArgs({ options: { dir: { type: "string" }, port: { type: "string" } }, strict: true });
const token = process.env.MAIL_OUTBOX_TOKEN;
const port = Number(values.port ?? "8025");
if (!token || !values.dir || !Number.isInteger(port)) {
  process.stderr.write("mail outbox: usage MAIL_OUTBOX_TOKEN=… main.ts --dir <folder> --port <n>\n");
  process.exit(1);
}
const outbox = await startMailOutbox({ dir: values.dir, port, authToken: token });
console.log(JSON.stringify({ ts: new Date().toISOString(), level: "info", service: "mail-outbox", message: "listening", url: outbox.url, dir: values.dir }));
const stop = () => void outbox.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
