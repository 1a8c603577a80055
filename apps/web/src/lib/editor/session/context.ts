import { getContext, setContext } from 'svelte';
import type { ProjectSession } from './project-session.svelte.ts';
import type { ViewState } from './view-state.svelte.ts';
import type { Transport } from '../preview/transport.svelte.ts';
import type { MediaLibrary } from '../media/media-library.svelte.ts';
import type { RenderList } from '../export/renders.svelte.ts';
import type { EditorActions } from '../actions.ts';

/** What every editor component may reach: the session (edits), the view, playback, media. */
export type Editor = {
  session: ProjectSession;
  view: ViewState;
  transport: Transport;
  media: MediaLibrary;
  renders: RenderList;
  actions: EditorActions;
};

const KEY = Symbol('cutline-editor');

export function setEditor(editor: Editor): Editor {
  return setContext(KEY, editor);
}

export function getEditor(): Editor {
  const editor = getContext<Editor | undefined>(KEY);
  if (!editor) throw new Error('getEditor() outside the editor');
  return editor;
}
