import { AsyncLocalStorage } from "node:async_hooks";
import type { RequestHandler } from "express";
import mongoose from "mongoose";

/** One database command as Mongoose sends it: `users.findOne(filter, …)`. */
export interface DbCommand {
  collection: string;
  method: string;
  args: unknown[];
}

/** What one request sent, handed to each listener when its answer is sent. */
export interface RequestCommands {
  method: string;
  url: string;
  commands: DbCommand[];
}

declare module "express-serve-static-core" {
  interface Locals {
    /** Set by logRequestCommands: what this request has sent so far. */
    dbCommands?: DbCommand[];
  }
}

type Listener = (request: RequestCommands) => void;
type BackgroundListener = (command: DbCommand) => void;

// Per request, not per process: work scheduled outside a request (the
// batched view and history writes) is never counted against one, and is
// reported to its own listeners.
const current = new AsyncLocalStorage<(command: DbCommand) => void>();
const listeners = new Set<Listener>();
const backgroundListeners = new Set<BackgroundListener>();
const toBackgroundListeners = (command: DbCommand) => {
  for (const listener of backgroundListeners) listener(command);
};

mongoose.set("debug", (collection: string, method: string, ...args) => {
  current.getStore()?.({ collection, method, args });
});

/**
 * Records a read the app made past Mongoose (the embedded engine's SQL
 * pages), as the command it stands for, with the request's own.
 */
export function logCommand(command: DbCommand): void {
  current.getStore()?.(command);
}

/** Records the commands each request sends (the request log counts them). */
export const logRequestCommands: RequestHandler = (req, res, next) => {
  const commands: DbCommand[] = [];
  res.locals.dbCommands = commands;
  res.once("finish", () => {
    const request = { method: req.method, url: req.originalUrl, commands };
    for (const listener of listeners) listener(request);
  });
  current.run((command) => commands.push(command), next);
};

/** Calls `listener` for every request answered until the returned stop. */
export function onRequestCommands(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Calls `listener` for every command sent outside requests, until stopped. */
export function onBackgroundCommands(listener: BackgroundListener): () => void {
  backgroundListeners.add(listener);
  return () => backgroundListeners.delete(listener);
}

/** Runs `work` (a timer, a background write) outside any request's log. */
export const outsideRequests = <T>(work: () => T): T =>
  current.run(toBackgroundListeners, work);
