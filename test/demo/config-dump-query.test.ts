import {describe, expect, it} from 'vitest';
import {answerConfigDump, type ConfigDump} from '../../src/demo/flavors/istio/config-dump-query.js';

const ADMIN = 'type.googleapis.com/envoy.admin.v3.';
const dump: ConfigDump = {
  configs: [
    {'@type': `${ADMIN}BootstrapConfigDump`, bootstrap: {node: {id: 'n'}, tracing: {http: {name: 't'}}}},
    {'@type': `${ADMIN}ListenersConfigDump`, version_info: 'v1', dynamic_listeners: [{name: 'a'}, {name: 'b', active_state: {}}]},
  ],
};
const ask = (query: string) => answerConfigDump(dump, new URLSearchParams(query));

/** The answers of Envoy's ConfigDumpHandler (source/server/admin/config_dump_handler.cc). */
describe('the demo\'s /config_dump query handling', () => {
  it('?resource= gives each element of the repeated field, packed with its own type', () => {
    const answer = ask('resource=dynamic_listeners');
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({
      configs: [
        {'@type': `${ADMIN}ListenersConfigDump.DynamicListener`, name: 'a'},
        {'@type': `${ADMIN}ListenersConfigDump.DynamicListener`, name: 'b', active_state: {}},
      ],
    });
  });

  it('a known repeated field the dump leaves out (empty) answers an empty list', () => {
    expect(JSON.parse(ask('resource=static_listeners').body)).toEqual({configs: []});
  });

  it('an unknown resource is 404 `<name> not found in config dump`; a single field is 400', () => {
    expect(ask('resource=nope')).toEqual({status: 404, body: 'nope not found in config dump', contentType: 'text/plain'});
    expect(ask('resource=bootstrap')).toMatchObject({status: 400, body: 'bootstrap is not a repeated field. Use ?mask=bootstrap to get only this field'});
  });

  it('?mask= keeps those fields of the dumps it fits and leaves the others out', () => {
    expect(JSON.parse(ask('mask=bootstrap.tracing').body)).toEqual({configs: [{'@type': `${ADMIN}BootstrapConfigDump`, bootstrap: {tracing: {http: {name: 't'}}}}]});
    expect(JSON.parse(ask('mask=version_info').body)).toEqual({configs: [{'@type': `${ADMIN}ListenersConfigDump`, version_info: 'v1'}]});
    expect(ask('mask=nope')).toMatchObject({status: 400, body: 'FieldMask nope could not be successfully applied to any configs.'});
  });

  it('?resource= with ?mask= trims each element', () => {
    expect(JSON.parse(ask('resource=dynamic_listeners&mask=name').body).configs.map((c: object) => Object.keys(c))).toEqual([['@type', 'name'], ['@type', 'name']]);
  });
});
