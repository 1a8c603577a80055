/** Pages a login may return to. */
export type NextTarget = { kind: 'projects' } | { kind: 'account' } | { kind: 'project'; id: string } | { kind: 'join'; token: string };

/**
 * Where to go after logging in. Only our own pages are accepted (an open redirect via
 * `?next=https://evil.example` would make the login page a phishing tool); the page
 * turns the answer into a URL with `resolve`.
 */
export function nextTarget(next: string | null): NextTarget {
  const project = next ? /^\/projects\/([a-z0-9]{1,64})$/.exec(next) : null;
  if (project?.[1]) return { kind: 'project', id: project[1] };
  const join = next ? /^\/join\/([A-Za-z0-9_.~%-]{1,300})$/.exec(next) : null;
  if (join?.[1]) return { kind: 'join', token: decodeURIComponent(join[1]) };
  if (next === '/account') return { kind: 'account' };
  return { kind: 'projects' };
}
