/*
 * mcp-risk native parser: the tree-sitter C runtime and grammars (Python, TypeScript, TSX, JavaScript), with one N-API entry that parses a source
 * text and returns its whole syntax tree as a flat Int32Array (one call per file instead of one WebAssembly
 * call per node property). src/languages/native.ts reads it; src/languages/parser.ts falls back to
 * web-tree-sitter when this addon is not built. The trees are the same: test/languages/native.test.ts lowers
 * every fixture with both and compares the IR.
 *
 * Records, in pre-order, NODE_STRIDE int32 each (see native.ts for the reader):
 *   0 symbol: index in symbols().names (the two error symbols follow the grammar's own)
 *   1 field id (0: none)
 *   2 start index, 3 end index: UTF-16 code units, as JavaScript strings (ASCII texts are parsed as UTF-8,
 *     where a byte is a code unit; other texts as UTF-16)
 *   4 start row, 5 start column, 6 end row, 7 end column: columns in code units, as web-tree-sitter gives them
 *   8 flags (FLAG_*)
 *   9 index of the next sibling (0: none; the root is never a sibling)
 * A node's first child, when it has one (FLAG_CHILDREN), is the next record.
 */
#include <node_api.h>
#include <stdlib.h>
#include <string.h>
#include <tree_sitter/api.h>

#define NODE_STRIDE 10
#define FLAG_NAMED 1
#define FLAG_MISSING 2
#define FLAG_HAS_ERROR 4
#define FLAG_EXTRA 8
#define FLAG_CHILDREN 16

const TSLanguage *tree_sitter_python(void);
const TSLanguage *tree_sitter_typescript(void);
const TSLanguage *tree_sitter_tsx(void);
const TSLanguage *tree_sitter_javascript(void);

typedef struct {
  const char *name;
  const TSLanguage *(*fn)(void);
} Grammar;

static const Grammar grammars[] = {
    {"python", tree_sitter_python},
    {"typescript", tree_sitter_typescript},
    {"tsx", tree_sitter_tsx},
    {"javascript", tree_sitter_javascript},
};
#define GRAMMAR_COUNT (sizeof(grammars) / sizeof(grammars[0]))

/* Parsers belong to one JavaScript environment (the main thread or one worker thread): a TSParser must not
 * be used by two threads at once, so each environment gets its own, as N-API instance data. */
typedef struct {
  TSParser *parsers[GRAMMAR_COUNT];
} Instance;

static void free_instance(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  Instance *inst = data;
  for (size_t i = 0; i < GRAMMAR_COUNT; i++)
    if (inst->parsers[i]) ts_parser_delete(inst->parsers[i]);
  free(inst);
}

#define CHECK(call)                                                                                          \
  do {                                                                                                       \
    if ((call) != napi_ok) return NULL;                                                                      \
  } while (0)

/* The grammar named by a JavaScript string; *parser (when asked) is this environment's parser for it. */
static const Grammar *grammar_arg(napi_env env, napi_value v, TSParser **parser) {
  char name[32];
  size_t len = 0;
  if (napi_get_value_string_utf8(env, v, name, sizeof name, &len) != napi_ok) {
    napi_throw_type_error(env, NULL, "language name expected");
    return NULL;
  }
  for (size_t i = 0; i < GRAMMAR_COUNT; i++) {
    if (strcmp(grammars[i].name, name) != 0) continue;
    if (parser) {
      Instance *inst = NULL;
      if (napi_get_instance_data(env, (void **)&inst) != napi_ok || !inst) {
        napi_throw_error(env, NULL, "native parser not initialised");
        return NULL;
      }
      if (!inst->parsers[i]) {
        TSParser *p = ts_parser_new();
        if (!ts_parser_set_language(p, grammars[i].fn())) {
          ts_parser_delete(p);
          napi_throw_error(env, NULL, "incompatible grammar version");
          return NULL;
        }
        inst->parsers[i] = p;
      }
      *parser = inst->parsers[i];
    }
    return &grammars[i];
  }
  napi_throw_error(env, NULL, "language not built into the native parser");
  return NULL;
}

/* The first `want` arguments of a call into argv; a TypeError saying `usage` when there are fewer. */
static int get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv, const char *usage) {
  size_t argc = want;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return 0;
  if (argc < want) {
    napi_throw_type_error(env, NULL, usage);
    return 0;
  }
  return 1;
}

/* languages(): names of the grammars built in. */
static napi_value languages(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value arr;
  CHECK(napi_create_array_with_length(env, GRAMMAR_COUNT, &arr));
  for (size_t i = 0; i < GRAMMAR_COUNT; i++) {
    napi_value s;
    CHECK(napi_create_string_utf8(env, grammars[i].name, NAPI_AUTO_LENGTH, &s));
    CHECK(napi_set_element(env, arr, (uint32_t)i, s));
  }
  return arr;
}

/* symbols(lang): { names: string[], named: boolean[], fields: string[] } indexed by symbol / field id. */
static napi_value symbols(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!get_args(env, info, 1, argv, "symbols(language)")) return NULL;
  const Grammar *g = grammar_arg(env, argv[0], NULL);
  if (!g) return NULL;
  const TSLanguage *lang = g->fn();
  uint32_t nsym = ts_language_symbol_count(lang);
  uint32_t nfield = ts_language_field_count(lang);
  napi_value out, names, named, fields;
  CHECK(napi_create_object(env, &out));
  /* the two built-in error symbols (65535, 65534) come last: see symbol_index */
  CHECK(napi_create_array_with_length(env, nsym + 2, &names));
  CHECK(napi_create_array_with_length(env, nsym + 2, &named));
  for (uint32_t i = 0; i < nsym + 2; i++) {
    TSSymbol sym = i < nsym ? (TSSymbol)i : i == nsym ? (TSSymbol)-1 : (TSSymbol)-2;
    const char *n = ts_language_symbol_name(lang, sym);
    napi_value s, b;
    CHECK(napi_create_string_utf8(env, n ? n : "", NAPI_AUTO_LENGTH, &s));
    CHECK(napi_get_boolean(env, ts_language_symbol_type(lang, sym) == TSSymbolTypeRegular, &b));
    CHECK(napi_set_element(env, names, i, s));
    CHECK(napi_set_element(env, named, i, b));
  }
  CHECK(napi_create_array_with_length(env, nfield + 1, &fields));
  for (uint32_t i = 0; i <= nfield; i++) {
    const char *n = i ? ts_language_field_name_for_id(lang, (TSFieldId)i) : "";
    napi_value s;
    CHECK(napi_create_string_utf8(env, n ? n : "", NAPI_AUTO_LENGTH, &s));
    CHECK(napi_set_element(env, fields, i, s));
  }
  CHECK(napi_set_named_property(env, out, "names", names));
  CHECK(napi_set_named_property(env, out, "named", named));
  CHECK(napi_set_named_property(env, out, "fields", fields));
  return out;
}

/* Symbols as indexes of the `names` array of symbols(): the error symbols (65535 ERROR, 65534 _ERROR) follow
 * the grammar's own. */
static int32_t symbol_index(TSSymbol sym, uint32_t nsym) {
  if (sym == (TSSymbol)-1) return (int32_t)nsym;
  if (sym == (TSSymbol)-2) return (int32_t)nsym + 1;
  return sym;
}

typedef struct {
  int32_t *data;
  size_t count; /* records */
  size_t cap;   /* records */
} Records;

static int grow(Records *r) {
  size_t cap = r->cap ? r->cap * 2 : 1024;
  int32_t *d = realloc(r->data, cap * NODE_STRIDE * sizeof(int32_t));
  if (!d) return 0;
  r->data = d;
  r->cap = cap;
  return 1;
}

/* parse(lang, text): Int32Array of records, or null when tree-sitter gives no tree. */
static napi_value parse(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  if (!get_args(env, info, 2, argv, "parse(language, text)")) return NULL;
  TSParser *parser = NULL;
  if (!grammar_arg(env, argv[0], &parser)) return NULL;
  /* ASCII text (the usual case) is parsed as UTF-8, where bytes are code units; any other text as UTF-16 */
  size_t units = 0, bytes8 = 0;
  if (napi_get_value_string_utf16(env, argv[1], NULL, 0, &units) != napi_ok ||
      napi_get_value_string_utf8(env, argv[1], NULL, 0, &bytes8) != napi_ok) {
    napi_throw_type_error(env, NULL, "source text expected");
    return NULL;
  }
  int ascii = bytes8 == units;
  unsigned shift = ascii ? 0 : 1;
  size_t cap = ascii ? units + 1 : (units + 1) * sizeof(char16_t);
  char *src = malloc(cap);
  if (!src) {
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  size_t got = 0;
  napi_status st = ascii ? napi_get_value_string_utf8(env, argv[1], src, units + 1, &got)
                         : napi_get_value_string_utf16(env, argv[1], (char16_t *)src, units + 1, &got);
  if (st != napi_ok) {
    free(src);
    return NULL;
  }
  TSTree *tree = ts_parser_parse_string_encoding(parser, NULL, src, (uint32_t)(got << shift),
                                                 ascii ? TSInputEncodingUTF8 : TSInputEncodingUTF16LE);
  free(src);
  napi_value result;
  if (!tree) {
    CHECK(napi_get_null(env, &result));
    return result;
  }

  uint32_t nsym = ts_language_symbol_count(ts_parser_language(parser));
  Records r = {0};
  /* last record seen at each depth, to link siblings */
  size_t depth = 0, dcap = 256;
  int32_t *prev = malloc(dcap * sizeof(int32_t));
  int ok = prev != NULL;
  if (ok) prev[0] = -1;
  TSTreeCursor c = ts_tree_cursor_new(ts_tree_root_node(tree));
  while (ok) {
    if (r.count == r.cap && !grow(&r)) {
      ok = 0;
      break;
    }
    TSNode n = ts_tree_cursor_current_node(&c);
    int32_t idx = (int32_t)r.count++;
    int32_t *rec = r.data + (size_t)idx * NODE_STRIDE;
    TSPoint sp = ts_node_start_point(n), ep = ts_node_end_point(n);
    rec[0] = symbol_index(ts_node_symbol(n), nsym);
    rec[1] = ts_tree_cursor_current_field_id(&c);
    rec[2] = (int32_t)(ts_node_start_byte(n) >> shift);
    rec[3] = (int32_t)(ts_node_end_byte(n) >> shift);
    rec[4] = (int32_t)sp.row;
    rec[5] = (int32_t)(sp.column >> shift);
    rec[6] = (int32_t)ep.row;
    rec[7] = (int32_t)(ep.column >> shift);
    rec[8] = (ts_node_is_named(n) ? FLAG_NAMED : 0) | (ts_node_is_missing(n) ? FLAG_MISSING : 0) |
             (ts_node_has_error(n) ? FLAG_HAS_ERROR : 0) | (ts_node_is_extra(n) ? FLAG_EXTRA : 0);
    rec[9] = 0;
    if (prev[depth] >= 0) r.data[(size_t)prev[depth] * NODE_STRIDE + 9] = idx;
    prev[depth] = idx;
    if (ts_tree_cursor_goto_first_child(&c)) {
      rec[8] |= FLAG_CHILDREN;
      if (++depth == dcap) {
        int32_t *p = realloc(prev, dcap * 2 * sizeof(int32_t));
        if (!p) {
          ok = 0;
          break;
        }
        prev = p;
        dcap *= 2;
      }
      prev[depth] = -1;
      continue;
    }
    int done = 0;
    while (!ts_tree_cursor_goto_next_sibling(&c)) {
      if (!ts_tree_cursor_goto_parent(&c)) {
        done = 1;
        break;
      }
      depth--;
    }
    if (done) break;
  }
  ts_tree_cursor_delete(&c);
  ts_tree_delete(tree);
  free(prev);
  if (!ok) {
    free(r.data);
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  size_t bytes = r.count * NODE_STRIDE * sizeof(int32_t);
  /* a V8-owned buffer (not an external one): it can be transferred from a parse thread to the main thread */
  napi_value ab;
  void *copy;
  st = napi_create_arraybuffer(env, bytes, &copy, &ab);
  if (st == napi_ok && bytes) memcpy(copy, r.data, bytes);
  free(r.data);
  if (st != napi_ok) return NULL;
  CHECK(napi_create_typedarray(env, napi_int32_array, r.count * NODE_STRIDE, ab, 0, &result));
  return result;
}

static napi_value init(napi_env env, napi_value exports) {
  Instance *inst = calloc(1, sizeof(Instance));
  if (!inst || napi_set_instance_data(env, inst, free_instance, NULL) != napi_ok) {
    free(inst);
    napi_throw_error(env, NULL, "native parser: cannot initialise");
    return NULL;
  }
  napi_property_descriptor props[] = {
      {"languages", NULL, languages, NULL, NULL, NULL, napi_default, NULL},
      {"symbols", NULL, symbols, NULL, NULL, NULL, napi_default, NULL},
      {"parse", NULL, parse, NULL, NULL, NULL, napi_default, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  napi_value stride;
  if (napi_create_int32(env, NODE_STRIDE, &stride) == napi_ok) napi_set_named_property(env, exports, "stride", stride);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
