/** Who asked for an operator action: the admin token's name and the request id, for the event log. */
export interface AdminActor {
  readonly tokenName: string;
  readonly requestId: string | undefined;
}
