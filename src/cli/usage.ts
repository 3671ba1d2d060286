/** The CLI's help text. */
export const usage = `igflow: publish to Instagram through the Graph API container flow, exactly once.

Usage:
  igflow publish <spec.json> [--store DIR] [--graph-url URL] [--upload-url URL] [--api-version vNN.0]
                             [--login instagram|facebook] [--poll-interval MS] [--json]
                             [--max-wait MS] [--request-timeout MS] [--no-media-checks] [--inspect [ws-url]]
  igflow resume  [--store DIR] [--graph-url URL] [--upload-url URL] [--api-version vNN.0]
                 [--login instagram|facebook] [--poll-interval MS] [--json]
                 [--max-wait MS] [--request-timeout MS] [--inspect [ws-url]]
  igflow status  [--store DIR|postgres://…] [--state S] [--account IG_USER_ID] [--key ID]
                 [--from ISO] [--to ISO] [--json]
  igflow cancel  <id|postId> [--store DIR|postgres://…] [--json]
  igflow reschedule <id|postId> <ISO-8601 time> [--store DIR|postgres://…] [--json]
  igflow work    [--store DIR|postgres://…] [--concurrency N] [--lease MS] [--container-budget N] [--graph-url URL] [--upload-url URL] [--api-version vNN.0]
                 [--login instagram|facebook] [--poll-interval MS] [--request-timeout MS] [--json]
                 [--inspect [ws-url]] [--webhook URL [--webhook-retry MS] [--webhook-timeout MS] [--webhook-retention MS]]
  igflow watch   [--store DIR|postgres://…] [--port N] [--host HOST --watch-token SECRET]
  igflow simulate [--port N]

Scheduling: with "publishAt" in the spec, nothing is published before publishAt; the
post's containers may be made ahead of it (minutes before, never so early that they
expire), so that it goes live on time.

cancel and reschedule: a post can be cancelled, or its publishAt moved, until its
media_publish is on its way, whoever holds it (a publish, resume or work holding it
sees the change at its next checkpoint, at the latest the one before media_publish).
Exit 0 done (or already cancelled); 1 too late (publishing or published: the last line
says which); 2 unknown post. A cancelled post is never published; a moved one keeps
its containers when they will still be alive at the new time (24 h), else makes new ones.
status --state (a state: scheduled, ready, published, cancelled…), --account, --key,
--from and --to (publishAt within, ISO-8601) list only the posts that match.

publish and resume wait in the foreground for at most --max-wait (default 300000 ms,
five minutes): when every post left must wait longer (a later publishAt, the daily
publishing quota, a new access token, Instagram unreachable for longer than that), the
posts stay in the store and the command exits 75, saying when and how they go on
(igflow resume then, or a running igflow work).
--poll-interval (1..60000 ms, default 5000) is the base unit of the waits igflow chooses
itself (poll and retry backoff); how long a container may take is never scaled by it.
--request-timeout bounds each Graph API request (connect, headers, body).

Media checks: before a new post is stored, publish reads the first bytes of each media
(a ranged GET, at most 256 KiB and 10 s each) and refuses what Instagram would refuse
(exit 2, nothing sent, each problem with its path): an image that is not a JPEG or is
over 8 MB, a feed or carousel image outside 4:5..1.91:1, a video whose moov atom is not
at the front or that is too long, too short or too large for its kind. A media igflow
cannot reach is a warning and the post goes on. --no-media-checks (or "checkMedia":
false in the spec) skips them.

Local videos: "videoFile": "./clip.mp4" in place of videoUrl (a reel, a story, a stories
item or a carousel video; --login facebook only) is checked when the post is accepted
(it exists, MP4 or MOV, within Instagram's size) and pinned by its size and SHA-256, then
sent with Meta's resumable upload; after any interruption igflow asks Instagram how many
bytes it has and sends only the rest. A file that changed before its upload is refused.
Uploads go to https://rupload.facebook.com, or --upload-url, or (with only --graph-url
given) to --graph-url.

--inspect streams the posts' machines to a Stately inspector server (default
ws://localhost:8080: createInspectorServer() of @statelyai/inspect/server, whose page
frames https://stately.ai/inspect, so viewing needs the internet); each post's chart is
named by its "id" (or post id), the token is never sent, and an absent server changes
nothing (retried every 5 s).

watch serves a live view of the store's posts (every process's, file store or PostgreSQL)
on http://127.0.0.1 (port 0, the default, picks a free one), prints its URL as the first
line, and runs until Ctrl-C. It needs no internet and no credentials, and only reads.
--host serves it beyond this machine, and only with --watch-token (16 characters or more,
or IGFLOW_WATCH_TOKEN), the bearer secret the page asks for.

Credentials come from IG_ACCESS_TOKEN and IG_USER_ID, all digits (publish, resume, work).
work --webhook POSTs every outcome to URL, signed with IGFLOW_WEBHOOK_SECRET (16+ characters),
retried after --webhook-retry MS (default 1000, doubling), each try cut at --webhook-timeout MS.
Delivered outcomes leave the store's outbox after --webhook-retention MS (default 7 days); undelivered ones stay.
The store is a directory (default ./.igflow) or a postgres:// URL; only publish, resume
and work create a schema. Exit codes: 0 published, 1 failed (or posts the store cannot read),
2 invalid input (nothing sent), 75 not finished yet but resumable.`;
