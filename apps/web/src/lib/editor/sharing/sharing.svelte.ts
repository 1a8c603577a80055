import { SvelteMap } from 'svelte/reactivity';
import { can } from '@cutline/shared/policy';
import type { Api } from '#lib/api/client.ts';
import { errorMessage } from '#lib/api/errors.ts';
import type { InvitableRole, Member, Role, ShareLink } from '#lib/api/types.ts';

export const roleLabels: Record<Role, string> = { owner: 'Owner', editor: 'Editor', commenter: 'Commenter', viewer: 'Viewer' };
export const invitableRoles: readonly InvitableRole[] = ['editor', 'commenter', 'viewer'];

/**
 * The sharing dialog's state: members and share links of one project, and the calls that
 * change them. What the person may do comes from the one policy (`members.read`,
 * `members.manage`); the server checks the same. Every failure becomes `error`, in words.
 */
export class Sharing {
  members: Member[] = $state.raw([]);
  links: ShareLink[] = $state.raw([]);
  loaded = $state(false);
  busy = $state(false);
  error: string | null = $state(null);
  /** The last thing that worked, for the dialog's live region. */
  status: string | null = $state(null);

  private readonly projectId: string;
  private readonly api: Api;
  private readonly role: () => Role;
  /** A link's URL is shown only in the answer that created it (the server keeps a hash). */
  private readonly urls = new SvelteMap<string, string>();

  constructor({ projectId, api, role }: { projectId: string; api: Api; role: () => Role }) {
    this.projectId = projectId;
    this.api = api;
    this.role = role;
  }

  get canManage(): boolean {
    return can(this.role(), 'members.manage');
  }

  get canRead(): boolean {
    return can(this.role(), 'members.read');
  }

  urlOf(link: ShareLink): string | null {
    return link.url ?? this.urls.get(link.id) ?? null;
  }

  async load(): Promise<void> {
    if (!this.canRead) return;
    await this.attempt('Cannot load the members', async () => {
      const [members, links] = await Promise.all([this.api.listMembers(this.projectId), this.canManage ? this.api.listShareLinks(this.projectId) : Promise.resolve([])]);
      this.members = members;
      this.links = links;
      this.loaded = true;
    });
  }

  invite({ email, role }: { email: string; role: InvitableRole }): Promise<boolean> {
    return this.attempt(`Cannot invite ${email}`, async () => {
      const member = await this.api.addMember(this.projectId, { email, role });
      const known = this.members.some((m) => m.userId === member.userId);
      this.members = known ? this.members.map((m) => (m.userId === member.userId ? member : m)) : [...this.members, member];
      this.status = `${member.name} is now ${article(role)} ${roleLabels[role].toLowerCase()}.`;
    });
  }

  changeRole(member: Member, role: InvitableRole): Promise<boolean> {
    return this.attempt(`Cannot change ${member.name}'s role`, async () => {
      const updated = await this.api.setMemberRole(this.projectId, member.userId, role);
      this.members = this.members.map((m) => (m.userId === updated.userId ? updated : m));
      this.status = `${updated.name} is now ${article(role)} ${roleLabels[role].toLowerCase()}.`;
    });
  }

  remove(member: Member): Promise<boolean> {
    return this.attempt(`Cannot remove ${member.name}`, async () => {
      await this.api.removeMember(this.projectId, member.userId);
      this.members = this.members.filter((m) => m.userId !== member.userId);
      this.status = `${member.name} was removed from the project.`;
    });
  }

  createLink(role: InvitableRole): Promise<boolean> {
    return this.attempt('Cannot create a share link', async () => {
      const { link, token } = await this.api.createShareLink(this.projectId, role);
      const url = link.url ?? `${location.origin}/join/${encodeURIComponent(token)}`;
      this.urls.set(link.id, url);
      this.links = [{ ...link, url }, ...this.links];
      this.status = `New ${roleLabels[role].toLowerCase()} link created; copy it now, it is shown only once.`;
    });
  }

  revokeLink(link: ShareLink): Promise<boolean> {
    return this.attempt('Cannot revoke the link', async () => {
      await this.api.revokeShareLink(this.projectId, link.id);
      this.links = this.links.filter((l) => l.id !== link.id);
      this.urls.delete(link.id);
      this.status = `The ${roleLabels[link.role].toLowerCase()} link no longer works.`;
    });
  }

  private async attempt(what: string, fn: () => Promise<void>): Promise<boolean> {
    this.busy = true;
    this.error = null;
    this.status = null;
    try {
      await fn();
      return true;
    } catch (error) {
      this.error = `${what}: ${errorMessage(error)}`;
      return false;
    } finally {
      this.busy = false;
    }
  }
}

const article = (role: InvitableRole) => (role === 'editor' ? 'an' : 'a');
