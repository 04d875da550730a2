import { api, API } from "./http.js";
import { jpegBytes, pngBytes } from "./media-bytes.js";

let sequence = 0;

/** The fields of an account no other in this file's database has; `prefix` starts its names. */
export const newAccount = (prefix = "reg") => {
  sequence += 1;
  const tag = `${Date.now().toString(36)}${sequence}`;
  return {
    fullName: `${prefix} user ${tag}`,
    email: `${prefix}_${tag}@example.com`,
    username: `${prefix}_${tag}`,
    password: "a good password",
  };
};

/**
 * A register request as a form sends it: `fields` in order, then a PNG
 * avatar and a JPEG cover image as `files` asks (an avatar alone by
 * default). More can be attached to the returned request.
 */
export const register = (
  fields: Record<string, string>,
  files: { avatar?: boolean; coverImage?: boolean } = { avatar: true }
) => {
  const request = api().post(`${API}/users/register`);
  for (const [name, value] of Object.entries(fields))
    request.field(name, value);
  if (files.avatar)
    request.attach("avatar", pngBytes(), {
      filename: "me.png",
      contentType: "image/png",
    });
  if (files.coverImage)
    request.attach("coverImage", jpegBytes(), {
      filename: "cover.jpg",
      contentType: "image/jpeg",
    });
  return request;
};
