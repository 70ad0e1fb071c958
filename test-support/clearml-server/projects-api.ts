// projects.* endpoints of the test server.
import { ApiError, optString, optStrings, reqString, type JsonObject } from './api-error';
import type { HandlerTable } from './handler';
import { filterDocs, shapeResults } from './query';
import { clone } from './state';

const UPDATABLE = ['name', 'description', 'tags', 'system_tags', 'default_output_destination'] as const;

export const projectHandlers: HandlerTable = {
  'projects.create': (body, { state }) => {
    const name = reqString(body, 'name').trim();
    if (!name || name.split('/').some((part) => part.trim() === '')) {
      throw new ApiError(400, 407, `Invalid project name (name=${name})`);
    }
    if (state.projectByName(name)) throw new ApiError(400, 801, `Value combination already exists (unique project name: ${name})`);
    const fields: JsonObject = {};
    for (const key of UPDATABLE) if (body[key] !== undefined && key !== 'name') fields[key] = clone(body[key]!);
    optStrings(body, 'tags');
    optStrings(body, 'system_tags');
    optString(body, 'description');
    const project = state.ensureProject(name, fields);
    return { id: project.id as string };
  },

  'projects.get_all': (body, { state }) => {
    const found = filterDocs(state.projects.values(), body, ['parent']);
    return { projects: shapeResults(found, body) };
  },

  'projects.get_by_id': (body, { state }) => {
    return { project: clone(state.project(reqString(body, 'project'))) };
  },

  'projects.update': (body, { state }) => {
    const project = state.project(reqString(body, 'project'));
    const fields: JsonObject = {};
    for (const key of UPDATABLE) if (body[key] !== undefined) fields[key] = clone(body[key]!);
    Object.assign(project, fields, { last_update: state.now() });
    return { updated: 1, fields };
  },
};
