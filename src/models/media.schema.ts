import { Schema } from "mongoose";

/**
 * A stored file as models keep it: the public URL and the storage id that
 * deletes it (the notes kept only the URL, so old files could never go).
 * Responses show only the URL, under the field's own name.
 */
export interface StoredMedia {
  url: string;
  publicId: string;
}

export const storedMediaSchema = new Schema<StoredMedia>(
  {
    url: { type: String, required: true },
    publicId: { type: String, required: true },
  },
  { _id: false }
);
