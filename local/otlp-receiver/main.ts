// CLI: node local/otlp-receiver/main.ts --dir .data/traces --port 4318
// Environment: OTLP_RECEIVER_TOKEN (required: the bearer token every export and lookup must carry;
// never a flag, since a process's command line is readable by every local user).
import { parseArgs } from "node:util";
import { startOtlpReceiver } from "./server.ts";

const { values } = parseArgs({ options: { dir: { type: "string" }, port: { type: "string" } }, strict: true });
const token = process.env.OTLP_RECEIVER_TOKEN;
const port = Number(values.port ?? "4318");
if (!token || !values.dir || !Number.isInteger(port)) {
  process.stderr.write("otlp receiver: usage OTLP_RECEIVER_TOKEN=… main.ts --dir <folder> --port <n>\n");
  process.exit(1);
}
const receiver = await startOtlpReceiver({ dir: values.dir, port, authToken: token });
console.log(JSON.stringify({ ts: new Date().toISOString(), level: "info", service: "otlp-receiver", message: "listening", url: receiver.url, dir: values.dir }));
const stop = () => void receiver.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
