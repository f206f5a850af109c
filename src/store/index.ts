// The store: one SQLite file, migrated on open, with one repository per aggregate.
import { MIGRATIONS_DIR } from '../paths.js';
import { ConsultationStore } from './consultations.js';
import { ConversationStore } from './conversations.js';
import { EventStore } from './events.js';
import { JobStore } from './jobs.js';
import { SettingsStore } from './settings.js';
import { migrate, openDatabase, type Db } from './database.js';

export interface Store {
  db: Db;
  consultations: ConsultationStore;
  conversations: ConversationStore;
  events: EventStore;
  jobs: JobStore;
  settings: SettingsStore;
  close(): void;
}

export function openStore(path: string, options: { migrate?: boolean; now?: number } = {}): Store {
  const db = openDatabase(path);
  try {
    if (options.migrate !== false) migrate(db, MIGRATIONS_DIR, options.now);
  } catch (error) {
    db.close();
    throw error;
  }
  return {
    db,
    consultations: new ConsultationStore(db),
    conversations: new ConversationStore(db),
    events: new EventStore(db),
    jobs: new JobStore(db),
    settings: new SettingsStore(db),
    close: () => {
      if (db.open) db.close();
    },
  };
}
