// The session-lost signal from the query cache (outside React) to the session provider.
type Listener = () => void;
const listeners = new Set<Listener>();

export function onSessionLost(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function notifySessionLost(): void {
  for (const listener of listeners) listener();
}
