import { carouselMachine } from '../machines/carousel-machine.js';
import { containerMachine } from '../machines/container-machine.js';
import { postMachine } from '../machines/post-machine.js';
import { storiesMachine } from '../machines/stories-machine.js';
import { machineChart } from './machine-chart.js';

/** The machines a card draws, by the name a card's chart gives. */
const charts = { post: postMachine, stories: storiesMachine, carousel: carouselMachine, container: containerMachine } as const;

/**
 * The page of `igflow watch`: the filters, the token form (shown only when
 * the server wants a watch token) and one template per machine chart. It
 * holds no data and no secret; the posts come from /api/events.
 */
export function pageHtml(options: { readonly auth: boolean }): string {
  const templates = Object.entries(charts)
    .map(([name, machine]) => `<template id="chart-${name}">${machineChart(machine)}</template>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>igflow watch</title>
<link rel="stylesheet" href="/watch.css">
<link rel="icon" href="data:,">
</head>
<body data-auth="${options.auth ? '1' : '0'}">
<header>
<h1>igflow watch</h1>
<label>state <select id="f-state"><option value="">any</option></select></label>
<label>account <select id="f-account"><option value="">any</option></select></label>
<label>kind <select id="f-kind"><option value="">any</option></select></label>
<label>key <input id="f-key" type="search" placeholder="search by key"></label>
<span id="count"></span>
<span id="problem" role="alert"></span>
<span id="live">connecting…</span>
</header>
<form id="token-form" hidden>
<label>This view needs its watch token: <input id="token" type="password" autocomplete="off"></label>
<button type="submit">Open</button>
</form>
<main id="posts"></main>
${templates}
<script src="/watch.js"></script>
</body>
</html>
`;
}
