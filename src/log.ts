// One structured JSON logger (pino) for the whole process; Bolt's and botbuilder's logs are routed
// through it so every line has the same shape and can carry request and consultation ids.
import { LogLevel, type Logger as SlackLogger } from '@slack/logger';
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, destination: NodeJS.WritableStream = process.stdout): Logger {
  return pino(
    { level, base: { app: 'reality-check' }, timestamp: pino.stdTimeFunctions.isoTime },
    destination as DestinationStream,
  );
}

/** Bolt's Logger interface on top of pino (Bolt calls these with free-form arguments). */
export function boltLogger(logger: Logger): SlackLogger {
  const child = logger.child({ component: 'bolt' });
  const join = (msgs: unknown[]): string => msgs.map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : JSON.stringify(m))).join(' ');
  let level: LogLevel = LogLevel.INFO;
  return {
    debug: (...msgs: unknown[]) => child.debug(join(msgs)),
    info: (...msgs: unknown[]) => child.info(join(msgs)),
    warn: (...msgs: unknown[]) => child.warn(join(msgs)),
    error: (...msgs: unknown[]) => child.error(join(msgs)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
