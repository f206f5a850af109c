// One Bolt listener for all of our block actions and one for all of our view submissions, dispatching on
// action_id / callback_id to the handlers the listener modules register here. Bolt runs the middleware
// chain of every registered listener for every delivery, about 2.5 KB of allocation each (an allocation
// profile under bench:slack): with 16 action and view listeners each slash command left ~40 KB of garbage,
// a quarter of all it allocated. The listener modules still register one handler per action, as in Bolt.
import type { AllMiddlewareArgs, App, Middleware, SlackAction, SlackActionMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';

type Constraint = string | RegExp;
type ActionHandler = Middleware<SlackActionMiddlewareArgs>;
type ViewHandler = Middleware<SlackViewMiddlewareArgs>;

const matches = (constraint: Constraint, id: string): boolean => (typeof constraint === 'string' ? constraint === id : constraint.test(id));

export class ListenerRouter {
  private readonly actions: Array<[Constraint, ActionHandler]> = [];
  private readonly views: Array<[Constraint, ViewHandler]> = [];

  /** Like Bolt's `app.action(actionId, handler)`, for block actions. */
  action<A extends SlackAction>(actionId: Constraint, handler: Middleware<SlackActionMiddlewareArgs<A>>): void {
    this.actions.push([actionId, handler as unknown as ActionHandler]);
  }

  /** Like Bolt's `app.view(callbackId, handler)`, for view submissions. */
  view(callbackId: Constraint, handler: ViewHandler): void {
    this.views.push([callbackId, handler]);
  }

  /** Registers the two Bolt listeners. A delivery no handler matches is left unacknowledged, as in Bolt. */
  install(app: App): void {
    const { actions, views } = this;
    app.action(/^/, async (args: SlackActionMiddlewareArgs & AllMiddlewareArgs) => {
      const id = (args.payload as { action_id?: unknown }).action_id;
      const handler = typeof id === 'string' ? actions.find(([constraint]) => matches(constraint, id))?.[1] : undefined;
      await handler?.(args);
    });
    app.view(/^/, async (args: SlackViewMiddlewareArgs & AllMiddlewareArgs) => {
      const handler = views.find(([constraint]) => matches(constraint, args.view.callback_id))?.[1];
      await handler?.(args);
    });
  }
}
