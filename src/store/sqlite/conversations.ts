// Unfinished questionnaires and conversation references, scoped by workspace and platform.
import { z } from 'zod';
import type { ChatPlatform, ConversationRepo, StoredConversation } from '../types.js';
import { prep, type Db } from './database.js';

const stateSchema = z.object({
  question: z.string(),
  topic: z.string(),
  answers: z.record(z.string(), z.string()),
  history: z.array(z.string()),
});

export class SqliteConversations implements ConversationRepo {
  constructor(private readonly db: Db) {}

  async get(workspace: string, platform: ChatPlatform, key: string): Promise<StoredConversation | undefined> {
    const row = prep(this.db, 'SELECT user_id, state_json, message_ref FROM conversations WHERE workspace = ? AND platform = ? AND conversation_key = ?')
      .get(workspace, platform, key) as { user_id: string; state_json: string; message_ref: string | null } | undefined;
    if (!row) return undefined;
    return { userId: row.user_id, state: stateSchema.parse(JSON.parse(row.state_json)), messageRef: row.message_ref };
  }

  async put(workspace: string, platform: ChatPlatform, key: string, value: StoredConversation, now: number): Promise<void> {
    prep(this.db, 
        `INSERT INTO conversations (workspace, platform, conversation_key, user_id, state_json, message_ref, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (workspace, platform, conversation_key) DO UPDATE SET
           user_id = excluded.user_id, state_json = excluded.state_json, message_ref = excluded.message_ref, updated_at = excluded.updated_at`,
      )
      .run(workspace, platform, key, value.userId, JSON.stringify(value.state), value.messageRef, now);
  }

  async setMessageRef(workspace: string, platform: ChatPlatform, key: string, messageRef: string): Promise<void> {
    prep(this.db, 'UPDATE conversations SET message_ref = ? WHERE workspace = ? AND platform = ? AND conversation_key = ? AND message_ref IS NULL')
      .run(messageRef, workspace, platform, key);
  }

  async delete(workspace: string, platform: ChatPlatform, key: string): Promise<void> {
    prep(this.db, 'DELETE FROM conversations WHERE workspace = ? AND platform = ? AND conversation_key = ?').run(workspace, platform, key);
  }

  async prune(olderThan: number, limit: number): Promise<number> {
    return prep(this.db, `DELETE FROM conversations WHERE (workspace, platform, conversation_key) IN (
      SELECT workspace, platform, conversation_key FROM conversations WHERE updated_at < ? ORDER BY updated_at LIMIT ?)`).run(olderThan, limit).changes;
  }

  async putReference(workspace: string, platform: string, key: string, reference: unknown, now: number): Promise<void> {
    prep(this.db, 
        `INSERT INTO conversation_references (workspace, platform, ref_key, ref_json, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (workspace, platform, ref_key) DO UPDATE SET ref_json = excluded.ref_json, updated_at = excluded.updated_at`,
      )
      .run(workspace, platform, key, JSON.stringify(reference), now);
  }

  async getReference(workspace: string, platform: string, key: string): Promise<unknown> {
    const row = prep(this.db, 'SELECT ref_json FROM conversation_references WHERE workspace = ? AND platform = ? AND ref_key = ?')
      .get(workspace, platform, key) as { ref_json: string } | undefined;
    return row ? (JSON.parse(row.ref_json) as unknown) : undefined;
  }
}
