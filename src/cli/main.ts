#!/usr/bin/env node
/**
 * The igflow command. Until the engine lands it only explains itself.
 */
const usage = `igflow: publish to Instagram through the Graph API container flow, exactly once.

Usage:
  igflow publish <spec.json> [--store DIR] [--graph-url URL] [--api-version vNN.0]
                             [--login instagram|facebook] [--poll-interval MS] [--json]
  igflow resume  [--store DIR] [--graph-url URL] [--poll-interval MS] [--json]
  igflow status  [--store DIR] [--json]
  igflow simulate [--port N]

Credentials come from IG_ACCESS_TOKEN and IG_USER_ID.`;

process.stdout.write(`${usage}\n`);
