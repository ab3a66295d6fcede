import net from "node:net";

/** Resolves when `port` on 127.0.0.1 can be bound; rejects naming the port and its user otherwise. */
export function assertPortFree(port: number, user: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === "EADDRINUSE"
            ? `Port ${port} (${user}) is already in use. Stop what is using it, or choose another port with the setting named in the README.`
            : `Cannot bind port ${port} (${user}): ${error.message}`,
        ),
      ),
    );
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve()));
  });
}
