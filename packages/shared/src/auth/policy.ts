/**
 * The one permission policy (docs/ARCHITECTURE.md, "Where each decision lives"): web routes and the sync auth hook both ask
 * it, so the UI, the REST API and the WebSocket can never disagree about a role.
 */
export const roles = ['owner', 'editor', 'commenter', 'viewer'] as const;
export type Role = (typeof roles)[number];

export const actions = [
  'project.read',
  'project.update',
  'project.delete',
  'members.read',
  'members.manage',
  'timeline.read',
  'timeline.write',
  'comments.read',
  'comments.write',
  'assets.read',
  'assets.write',
  'renders.read',
  'renders.create',
] as const;
export type Action = (typeof actions)[number];

const grants: Record<Role, readonly Action[]> = {
  owner: actions,
  editor: [
    'project.read',
    'project.update',
    'members.read',
    'timeline.read',
    'timeline.write',
    'comments.read',
    'comments.write',
    'assets.read',
    'assets.write',
    'renders.read',
    'renders.create',
  ],
  commenter: ['project.read', 'members.read', 'timeline.read', 'comments.read', 'comments.write', 'assets.read', 'renders.read'],
  viewer: ['project.read', 'members.read', 'timeline.read', 'comments.read', 'assets.read', 'renders.read'],
};

const table: Record<Role, ReadonlySet<Action>> = {
  owner: new Set(grants.owner),
  editor: new Set(grants.editor),
  commenter: new Set(grants.commenter),
  viewer: new Set(grants.viewer),
};

/** May a member with `role` (null: not a member) do `action`? */
export function can(role: Role | null, action: Action): boolean {
  return role !== null && table[role].has(action);
}

/** What a role may do, one sentence each (the sharing dialog shows these). */
export const roleDescriptions: Record<Role, string> = {
  owner: 'Owns the project: edits, shares, manages members and can delete it.',
  editor: 'Edits the timeline, uploads media, comments and exports.',
  commenter: 'Watches the edit and comments on it, but cannot change it.',
  viewer: 'Watches the edit and reads comments; changes nothing.',
};

export const documentKinds = ['timeline', 'comments'] as const;
export type DocumentKind = (typeof documentKinds)[number];

/** Access to one of a project's two Yjs documents: write, read, or none. */
export function documentAccess(role: Role | null, kind: DocumentKind): 'write' | 'read' | null {
  if (can(role, `${kind}.write`)) return 'write';
  if (can(role, `${kind}.read`)) return 'read';
  return null;
}

/** `project/<id>/timeline` or `project/<id>/comments`; anything else is null. */
export function parseDocumentName(name: string): { projectId: string; kind: DocumentKind } | null {
  const match = /^project\/([a-z0-9]{1,64})\/(timeline|comments)$/.exec(name);
  if (!match?.[1] || !match[2]) return null;
  return { projectId: match[1], kind: match[2] as DocumentKind };
}

export function documentName(projectId: string, kind: DocumentKind): string {
  return `project/${projectId}/${kind}`;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}
