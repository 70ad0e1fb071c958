import { describe, expect, it } from 'vitest';
import { HoconError, hoconGet, parseHocon } from './hocon';

// The shape `clearml-init` writes, with the comments and unquoted URLs users really have.
const CLEARML_INIT = `
# ClearML SDK configuration file
api {
    # Notice: 'host' is the api server (default port 8008), not the web server.
    api_server: http://localhost:8008
    web_server: http://localhost:8080
    files_server: http://localhost:8081
    # Credentials are generated using the webapp, http://localhost:8080//settings
    # Override with os environment: CLEARML_API_ACCESS_KEY / CLEARML_API_SECRET_KEY
    credentials {"access_key": "7Q9WXBSQ1LNW", "secret_key": "x!XTov_G-#vspE*Y(h$Anm&DIc5Ou-F)jsl$PdOyj5wG1&E!Z8"}
}
sdk {
    # ClearML - default SDK configuration
    storage {
        cache {
            # Defaults to <system_temp_folder>/clearml_cache
            default_base_dir: "~/.clearml/cache"
        }
        direct_access: [
            # Objects matching are considered to be available for direct access
            { url: "file://*" }  // file-urls are always directly referenced
        ]
    }
    development {
        task_reuse_time_window_in_hours: 72.0
        vcs_repo_detect_async: true
        store_uncommitted_code_diff: true
        support_stopping: true
        default_output_uri: ""
        worker {
            report_period_sec: 2
            ping_period_sec: 30
            log_stdout: true
        }
    }
}
`;

describe('HOCON reader', () => {
  it('reads a clearml-init file: unquoted URLs with //, inline JSON credentials, comments, nesting', () => {
    const { value } = parseHocon(CLEARML_INIT);
    expect(hoconGet(value, 'api.api_server')).toBe('http://localhost:8008');
    expect(hoconGet(value, 'api.files_server')).toBe('http://localhost:8081');
    expect(hoconGet(value, 'api.credentials.access_key')).toBe('7Q9WXBSQ1LNW');
    expect(hoconGet(value, 'api.credentials.secret_key')).toBe('x!XTov_G-#vspE*Y(h$Anm&DIc5Ou-F)jsl$PdOyj5wG1&E!Z8');
    expect(hoconGet(value, 'sdk.storage.cache.default_base_dir')).toBe('~/.clearml/cache');
    expect(hoconGet(value, 'sdk.storage.direct_access')).toEqual([{ url: 'file://*' }]);
    expect(hoconGet(value, 'sdk.development.task_reuse_time_window_in_hours')).toBe(72);
    expect(hoconGet(value, 'sdk.development.worker.log_stdout')).toBe(true);
    expect(hoconGet(value, 'sdk.development.default_output_uri')).toBe('');
  });

  it('reads dotted keys, = and :, merges repeated objects, and later values win', () => {
    const { value } = parseHocon(`
      api.api_server = "https://api.example.com"
      api { verify_certificate = false }
      api.credentials.access_key: KEY1
      api.credentials { secret_key = "s3cret" }
      api.credentials.access_key: KEY2
      top = 1, list = [1, 2, "three"]
    `);
    expect(value).toEqual({
      api: { api_server: 'https://api.example.com', verify_certificate: false, credentials: { access_key: 'KEY2', secret_key: 's3cret' } },
      top: 1,
      list: [1, 2, 'three'],
    });
  });

  it('reads triple-quoted strings, escapes, null, yes/no, substitutions, += and a braced root', () => {
    const { value, notes } = parseHocon(
      `{
        include "other.conf"
        text = """line one
line "two" """
        escaped = "tab\\tquote\\"u\\u00e9"
        nothing = null
        flag = yes
        home = \${HOME}/x
        maybe = \${?NOT_SET}
        copy = \${text}
        items = [a]
        items += b
        "quoted.key" = 5
      }`,
      { HOME: '/home/me' },
    );
    expect(value.text).toBe('line one\nline "two" ');
    expect(value.escaped).toBe('tab\tquote"u\u00e9');
    expect(value.nothing).toBeNull();
    expect(value.flag).toBe(true);
    expect(value.home).toBe('/home/me/x');
    expect(value.maybe).toBeNull();
    expect(value.copy).toBe('line one\nline "two" ');
    expect(value.items).toEqual(['a', 'b']);
    expect(value['quoted.key']).toBe(5);
    expect(notes).toEqual(['skipped "include "other.conf"" (includes are not followed)']);
  });

  it('reports syntax errors with line and column', () => {
    expect(() => parseHocon('api {\n  api_server = "http://x\n}')).toThrow(HoconError);
    expect(() => parseHocon('api {\n  api_server = "http://x\n}')).toThrow(/line 2/);
    expect(() => parseHocon('a = ${MISSING}')).toThrow(/unresolved substitution/);
    expect(() => parseHocon('api { x = 1')).toThrow(/expected "}"/);
  });
});
