// `npm start` with a terminal and no chat platform: ask for a question, then run the consultation.
import { input } from '@inquirer/prompts';
import { runAsk } from './commands/consult.js';

export async function runTerminalConsultation(dbPath: string): Promise<void> {
  process.stdout.write('reality-check — ask about an architecture decision (Ctrl-C to quit).\n');
  const question = await input({
    message: 'Your question',
    default: 'Should we use Kubernetes?',
    validate: (v) => (v.trim().length > 0 && v.length <= 2000) || 'Ask a question of 1–2,000 characters',
  });
  await runAsk(question, { workspace: 'cli' }, dbPath);
}
