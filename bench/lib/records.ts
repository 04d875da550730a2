// Users and a video straight in the database, as the benches need them. The
// models are imported when first used: a bench sets its environment first.

/** A user named `<prefix>_<tag>` with `password` and an avatar record. */
export async function createBenchUser(
  prefix: string,
  tag: string,
  password: string
) {
  const { User } = await import("../../src/models/user.model.js");
  return User.create({
    username: `${prefix}_${tag}`,
    email: `${prefix}_${tag}@example.com`,
    fullName: `${prefix} ${tag}`,
    avatar: { url: `/uploads/image/${tag}.png`, publicId: `image/${tag}.png` },
    password,
  });
}

/** A published video of `owner`, its media records named after `name`. */
export async function createBenchVideo(
  owner: { id: unknown },
  name: string,
  details: { title: string; description: string }
) {
  const { Video } = await import("../../src/models/video.model.js");
  return Video.create({
    videoFile: {
      url: `/uploads/video/${name}.mp4`,
      publicId: `video/${name}.mp4`,
    },
    thumbnail: {
      url: `/uploads/image/${name}.png`,
      publicId: `image/${name}.png`,
    },
    owner: owner.id as string,
    ...details,
    duration: 60,
    isPublished: true,
  });
}
