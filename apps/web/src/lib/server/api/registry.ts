import { defineEndpoint, type Endpoint } from './endpoint.ts';
import { openApiDocument } from './openapi.ts';
import { createRouter } from './router.ts';
import { assetFilmstrip, assetOriginal, assetProxy, assetWaveform, deleteAsset, getAsset, listAssets, uploadAsset } from './routes/assets.ts';
import { login, logout, me, signup } from './routes/auth.ts';
import { projectEvents } from './routes/events.ts';
import { addMember, listMembers, removeMember, updateMember } from './routes/members.ts';
import { createProject, deleteProject, getProject, listProjects, updateProject } from './routes/projects.ts';
import { acceptLink, createLink, listLinks, revokeLink } from './routes/share-links.ts';
import { cancelOneRender, getOneRender, projectRenders, renderOutput, startRender } from './routes/renders.ts';
import { syncTicket } from './routes/sync.ts';
import { applyTimelineCommands, getTimeline } from './routes/timeline.ts';
import { createToken, deleteToken, listTokens } from './routes/tokens.ts';
import { serverContext } from '#lib/server/context.ts';

const routes: Endpoint[] = [
  signup,
  login,
  logout,
  me,
  listTokens,
  createToken,
  deleteToken,
  listProjects,
  createProject,
  getProject,
  updateProject,
  deleteProject,
  listMembers,
  addMember,
  updateMember,
  removeMember,
  listLinks,
  createLink,
  revokeLink,
  acceptLink,
  projectEvents,
  getTimeline,
  applyTimelineCommands,
  syncTicket,
  uploadAsset,
  listAssets,
  getAsset,
  deleteAsset,
  assetOriginal,
  assetProxy,
  assetFilmstrip,
  assetWaveform,
  startRender,
  projectRenders,
  getOneRender,
  cancelOneRender,
  renderOutput,
];

const openapi = defineEndpoint({
  method: 'GET',
  path: '/openapi.json',
  summary: 'This API described in OpenAPI 3.1',
  tags: ['meta'],
  auth: 'public',
  responses: { 200: { description: 'The OpenAPI document' } },
  handler: async () => ({ body: openApiDocument({ endpoints, serverUrl: `${serverContext().config.PUBLIC_URL}/api/v1` }) }),
});

export const endpoints: Endpoint[] = [...routes, openapi];

export const route = createRouter(endpoints);
