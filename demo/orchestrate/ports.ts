/**
 * Port handling for the demo's processes: a busy port is reported by name before anything starts.
 */
import net from "node:net";

export async function isPortFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

export async function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export class PortInUseError extends Error {
  constructor(readonly role: string, readonly port: number, readonly flag: string) {
    super(`Port ${port} for the ${role} is already in use; stop whatever listens there or pick another with ${flag}`);
    this.name = "PortInUseError";
  }
}

/** Resolves each wanted port: 0 means "any free port"; a taken fixed port is an error naming its flag. */
export async function claimPorts<K extends string>(wanted: Record<K, { port: number; role: string; flag: string }>): Promise<Record<K, number>> {
  const result = {} as Record<K, number>;
  for (const key of Object.keys(wanted) as K[]) {
    const { port, role, flag } = wanted[key];
    if (port === 0) result[key] = await freePort();
    else if (await isPortFree(port)) result[key] = port;
    else throw new PortInUseError(role, port, flag);
  }
  return result;
}
