/** The CLI's help text. */
export const usage = `igflow: publish to Instagram through the Graph API container flow, exactly once.

Usage:
  igflow publish <spec.json> [--store DIR] [--graph-url URL] [--api-version vNN.0]
                             [--login instagram|facebook] [--poll-interval MS] [--json]
  igflow resume  [--store DIR] [--graph-url URL] [--api-version vNN.0]
                 [--login instagram|facebook] [--poll-interval MS] [--json]
  igflow status  [--store DIR|postgres://…] [--json]
  igflow work    [--store DIR|postgres://…] [--concurrency N] [--lease MS] [--graph-url URL] [--api-version vNN.0]
                 [--login instagram|facebook] [--poll-interval MS] [--json]
  igflow simulate [--port N]

Credentials come from IG_ACCESS_TOKEN and IG_USER_ID, all digits (publish, resume, work).
The store is a directory (default ./.igflow) or a postgres:// URL; only publish, resume
and work create a schema. Exit codes: 0 published, 1 failed (or posts the store cannot read),
2 invalid input (nothing sent), 75 not finished yet but resumable.`;
