// Server-sent event streams. The browser's EventSource resumes with Last-Event-ID by itself after a network error;
// a stream the server does not have (yet) answers with an error status, which closes it: then we say so, and look
// again now and then (the endpoint may arrive with the next deployment, or the server may be restarting).

const RETRY_CLOSED_MS = 5000;

/**
 * openStream('/api/events/stream', {push: fn, delete: fn}, {onState, backlog}) → {close()}
 * onState receives 'connecting' | 'live' | 'reconnecting' | 'unavailable'. `backlog` asks the first connection for
 * that many recent items (what happened while the page loaded its lists; views drop the ones they already have).
 */
export function openStream(path, handlers, { onState = () => {}, backlog = 0 } = {}) {
  let source = null;
  let retry = 0;
  let closed = false;
  let lastId = null;

  // EventSource resumes by itself after a network error; after a closed stream (the server restarting) we open a new
  // one, which must say where we were.
  const address = () => {
    const separator = path.includes('?') ? '&' : '?';
    if (lastId !== null) return `${path}${separator}lastEventId=${encodeURIComponent(lastId)}`;
    return backlog > 0 ? `${path}${separator}backlog=${backlog}` : path;
  };

  const connect = () => {
    if (closed) return;
    onState('connecting');
    source = new EventSource(address(), { withCredentials: true });
    source.onopen = () => onState('live');
    source.onerror = () => {
      if (closed) return;
      if (source.readyState === EventSource.CLOSED) {
        onState('unavailable');
        retry = setTimeout(connect, RETRY_CLOSED_MS);
      } else {
        onState('reconnecting');
      }
    };
    for (const [name, handler] of Object.entries(handlers)) {
      source.addEventListener(name, (message) => {
        let data;
        try {
          data = JSON.parse(message.data);
        } catch {
          return;
        }
        if (message.lastEventId) lastId = message.lastEventId;
        handler(data, message.lastEventId);
      });
    }
  };

  connect();
  return {
    close() {
      closed = true;
      clearTimeout(retry);
      source?.close();
    },
  };
}

/**
 * The repository events (push, delete, gc) as one page-wide stream: views subscribe while shown instead of each
 * holding its own connection.
 */
class EventBus extends EventTarget {
  #stream = null;
  state = 'off';

  start() {
    if (this.#stream) return;
    const forward = (type) => (data) => this.dispatchEvent(new CustomEvent(type, { detail: data }));
    this.#stream = openStream('/api/events/stream', { push: forward('push'), delete: forward('delete'), gc: forward('gc') }, {
      backlog: 50,
      onState: (state) => {
        this.state = state;
        this.dispatchEvent(new CustomEvent('state', { detail: state }));
      },
    });
  }

  stop() {
    this.#stream?.close();
    this.#stream = null;
    this.state = 'off';
    this.dispatchEvent(new CustomEvent('state', { detail: 'off' }));
  }

  /** Subscribes to every type in `types`; returns the unsubscribe function. */
  on(types, handler) {
    const listener = (event) => handler(event.type, event.detail);
    for (const type of types) this.addEventListener(type, listener);
    return () => {
      for (const type of types) this.removeEventListener(type, listener);
    };
  }
}

export const registryEvents = new EventBus();
