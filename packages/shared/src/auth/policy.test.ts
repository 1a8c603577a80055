import { describe, expect, it } from 'vitest';
import { actions, can, documentAccess, parseDocumentName, roles, type Action, type Role } from './policy.ts';

describe('permission policy', () => {
  // The whole table, written out once more by hand: a change to the policy must be a
  // deliberate change to this test too.
  const expected: Record<Role, Action[]> = {
    owner: [...actions],
    editor: actions.filter((a) => a !== 'project.delete' && a !== 'members.manage'),
    commenter: ['project.read', 'members.read', 'timeline.read', 'comments.read', 'comments.write', 'assets.read', 'renders.read'],
    viewer: ['project.read', 'members.read', 'timeline.read', 'comments.read', 'assets.read', 'renders.read'],
  };

  for (const role of roles) {
    for (const action of actions) {
      const allowed = expected[role].includes(action);
      it(`${role} ${allowed ? 'may' : 'may not'} ${action}`, () => {
        expect(can(role, action)).toBe(allowed);
      });
    }
  }

  it('a non-member may do nothing', () => {
    expect(actions.filter((a) => can(null, a))).toEqual([]);
  });

  it('maps roles to document access: editors write both, commenters write comments only', () => {
    expect(roles.map((r) => [r, documentAccess(r, 'timeline'), documentAccess(r, 'comments')])).toEqual([
      ['owner', 'write', 'write'],
      ['editor', 'write', 'write'],
      ['commenter', 'read', 'write'],
      ['viewer', 'read', 'read'],
    ]);
    expect(documentAccess(null, 'timeline')).toBeNull();
  });

  it.each([
    ['project/abc123/timeline', { projectId: 'abc123', kind: 'timeline' }],
    ['project/abc123/comments', { projectId: 'abc123', kind: 'comments' }],
    ['project/abc123/secrets', null],
    ['project/../timeline', null],
    ['project/ABC/timeline', null],
    ['project/abc/timeline/extra', null],
    ['', null],
  ])('parses document name %j', (name, parsed) => {
    expect(parseDocumentName(name)).toEqual(parsed);
  });
});
