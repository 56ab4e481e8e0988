/**
 * The one place that binds htm to Preact, so every view imports `html` and
 * the hooks from here rather than from the vendored files by path.
 *
 * @module
 */
import { Fragment, h, render } from "../vendor/preact.mjs";
import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from "../vendor/preact-hooks.mjs";
import htm from "../vendor/htm.mjs";

/** Tagged template that builds Preact elements: html`<p>${text}</p>`. */
export const html = htm.bind(h);

export { Fragment, h, render, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState };
