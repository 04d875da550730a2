export const DB_NAME = "videotube";

export const API_PREFIX = "/api/v1";

/** The tus 1.0 endpoint of resumable uploads. */
export const RESUMABLE_UPLOADS_PATH = `${API_PREFIX}/uploads`;

/** Body parser limit for JSON and urlencoded requests, as the notes set it (16kb). */
export const BODY_LIMIT = 16 * 1024;
