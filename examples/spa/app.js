// VideoTube's browser SPA: plain ES modules, no build step. It calls the API
// on another origin through the typed client, with the httpOnly cookies
// (`credentials: "include"`); it never sees a token itself.
import { API_URL } from "/config.js";
import { createVideoTubeClient, VideoTubeApiError } from "/client/index.js";

const client = createVideoTubeClient({
  baseUrl: API_URL,
  credentials: "include",
});
const { api } = client;
const view = document.getElementById("view");
const account = document.getElementById("account");
let me = null;

/** An element from a tag, attributes (on* become listeners) and children; text is never parsed as HTML. */
function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name in element && name !== "list") element[name] = value;
    else element.setAttribute(name, value === true ? "" : value);
  }
  element.append(
    ...children.flat().filter((c) => c !== null && c !== undefined)
  );
  return element;
}

/** Stored media URLs are absolute with PUBLIC_URL; relative ones are the API's. */
const media = (url) => (url && url.startsWith("/") ? API_URL + url : url);

const duration = (seconds) => {
  const s = Math.round(seconds);
  const mm = Math.floor(s / 60);
  return `${mm}:${String(s % 60).padStart(2, "0")}`;
};
const ago = (iso) => {
  const days = Math.floor((Date.now() - new Date(iso).getTime()) / 86_400_000);
  if (days < 1) return "today";
  if (days < 30) return `${days} day${days === 1 ? "" : "s"} ago`;
  const months = Math.floor(days / 30);
  if (months < 12) return `${months} month${months === 1 ? "" : "s"} ago`;
  const years = Math.floor(months / 12);
  return `${years} year${years === 1 ? "" : "s"} ago`;
};
const count = (n, word) =>
  `${n.toLocaleString("en")} ${word}${n === 1 ? "" : "s"}`;

let refreshing = null;
/** Rotates the session (refresh cookie -> new cookies); shared by concurrent callers in this tab. */
function refreshSession() {
  refreshing ??= client
    .unwrap(api.POST("/api/v1/users/refresh-token", { body: {} }))
    .then(
      () => true,
      () => false
    )
    .finally(() => (refreshing = null));
  return refreshing;
}

/** A call of the typed client; on a 401 the session is refreshed once and the call made again. */
async function call(makeRequest) {
  try {
    return await client.unwrap(makeRequest());
  } catch (error) {
    if (
      error instanceof VideoTubeApiError &&
      error.statusCode === 401 &&
      me &&
      (await refreshSession())
    )
      return client.unwrap(makeRequest());
    throw error;
  }
}

const messageOf = (error) =>
  error instanceof VideoTubeApiError
    ? [
        error.message,
        ...error.errors.map((e) => `${e.path}: ${e.message}`),
      ].join(" · ")
    : String(error.message ?? error);

function renderAccount() {
  account.replaceChildren(
    ...(me
      ? [
          h(
            "a",
            { href: "#/dashboard", className: "link", id: "nav-dashboard" },
            "Dashboard"
          ),
          h("img", {
            className: "avatar",
            src: media(me.avatar),
            alt: me.username,
            title: me.fullName,
            id: "me-avatar",
          }),
          h("button", { id: "sign-out", onclick: signOut }, "Sign out"),
        ]
      : [
          h(
            "a",
            { href: "#/signin" },
            h("button", { className: "primary", id: "nav-signin" }, "Sign in")
          ),
          h(
            "a",
            { href: "#/signup" },
            h("button", { id: "nav-signup" }, "Sign up")
          ),
        ])
  );
}

async function loadMe() {
  try {
    me = await client.unwrap(api.GET("/api/v1/users/current-user"));
  } catch {
    // A session whose access token expired comes back through the refresh cookie.
    me = (await refreshSession())
      ? await client
          .unwrap(api.GET("/api/v1/users/current-user"))
          .catch(() => null)
      : null;
  }
  renderAccount();
}

async function signOut() {
  await call(() => api.POST("/api/v1/users/logout", { body: {} })).catch(
    () => undefined
  );
  me = null;
  renderAccount();
  location.hash = "#/";
}

function videoCard(video) {
  const owner = typeof video.owner === "object" ? video.owner : null;
  return h(
    "a",
    {
      className: "card",
      href: `#/watch/${video._id}`,
      "data-video-id": video._id,
    },
    h(
      "div",
      { className: "thumb" },
      h("img", { src: media(video.thumbnail), alt: "", loading: "lazy" }),
      h("span", { className: "duration" }, duration(video.duration))
    ),
    h(
      "div",
      { className: "meta" },
      owner &&
        h("img", { className: "avatar", src: media(owner.avatar), alt: "" }),
      h(
        "div",
        {},
        h("h3", {}, video.title),
        owner && h("div", { className: "muted" }, owner.fullName),
        h(
          "div",
          { className: "muted" },
          `${count(video.views, "view")} · ${ago(video.createdAt)}`
        )
      )
    )
  );
}

async function homePage(query) {
  const page = await call(() =>
    api.GET("/api/v1/videos", {
      params: { query: { limit: 24, ...(query ? { query } : {}) } },
    })
  );
  view.replaceChildren(
    h("h1", {}, query ? `Results for “${query}”` : "Recommended"),
    page.docs.length
      ? h(
          "section",
          { className: "grid", id: "videos" },
          page.docs.map(videoCard)
        )
      : h("p", { className: "empty", id: "no-results" }, "No videos found.")
  );
}

function likeButton(video) {
  const button = h("button", {
    id: "like",
    className: video.isLiked ? "active" : "",
    "aria-pressed": String(video.isLiked),
    onclick: async () => {
      if (!me) return (location.hash = "#/signin");
      const state = await call(() =>
        api.POST("/api/v1/likes/toggle/v/{videoId}", {
          params: { path: { videoId: video._id } },
        })
      );
      video.isLiked = state.liked;
      button.replaceWith(
        likeButton({ ...video, likesCount: state.likesCount })
      );
    },
  });
  button.setAttribute("aria-label", video.isLiked ? "Unlike" : "Like");
  button.append(`♥ ${video.likesCount.toLocaleString("en")}`);
  return button;
}

function subscribeButton(channel) {
  if (me && me._id === channel._id)
    return h("a", { href: "#/dashboard" }, h("button", {}, "Your channel"));
  const button = h(
    "button",
    {
      id: "subscribe",
      className: channel.isSubscribed ? "" : "primary",
      "aria-pressed": String(channel.isSubscribed),
      onclick: async () => {
        if (!me) return (location.hash = "#/signin");
        const state = await call(() =>
          api.POST("/api/v1/subscriptions/c/{channelId}", {
            params: { path: { channelId: channel._id } },
          })
        );
        const subscribersCount =
          channel.subscribersCount + (state.subscribed ? 1 : -1);
        document.getElementById("subscribers").textContent = count(
          subscribersCount,
          "subscriber"
        );
        button.replaceWith(
          subscribeButton({
            ...channel,
            isSubscribed: state.subscribed,
            subscribersCount,
          })
        );
      },
    },
    channel.isSubscribed ? "Subscribed" : "Subscribe"
  );
  return button;
}

function commentItem(comment) {
  return h(
    "div",
    { className: "comment" },
    h("img", {
      className: "avatar",
      src: media(comment.owner.avatar),
      alt: "",
    }),
    h(
      "div",
      {},
      h(
        "div",
        { className: "muted" },
        `@${comment.owner.username} · ${ago(comment.createdAt)}`
      ),
      h("p", {}, comment.content)
    )
  );
}

async function commentsSection(videoId) {
  const page = await call(() =>
    api.GET("/api/v1/comments/{videoId}", {
      params: { path: { videoId }, query: { limit: 50 } },
    })
  );
  const list = h("div", { id: "comment-list" }, page.docs.map(commentItem));
  const heading = h("h2", {}, count(page.totalDocs, "Comment"));
  const error = h("p", { className: "error" });
  const form = me
    ? h(
        "form",
        {
          id: "comment-form",
          onsubmit: async (event) => {
            event.preventDefault();
            const content = form.elements.content.value.trim();
            if (!content) return;
            try {
              const comment = await call(() =>
                api.POST("/api/v1/comments/{videoId}", {
                  params: { path: { videoId } },
                  body: { content },
                })
              );
              list.prepend(commentItem({ ...comment, owner: me }));
              form.reset();
              heading.textContent = count(++page.totalDocs, "Comment");
            } catch (failure) {
              error.textContent = messageOf(failure);
            }
          },
        },
        h("img", { className: "avatar", src: media(me.avatar), alt: "" }),
        h("input", {
          name: "content",
          placeholder: "Add a comment…",
          maxLength: 1000,
          "aria-label": "Comment",
        }),
        h("button", { className: "primary", type: "submit" }, "Comment")
      )
    : h(
        "p",
        { className: "muted" },
        h("a", { href: "#/signin" }, "Sign in"),
        " to comment."
      );
  return h("section", { className: "comments" }, heading, form, error, list);
}

async function watchPage(videoId) {
  const video = await call(() =>
    api.GET("/api/v1/videos/{videoId}", { params: { path: { videoId } } })
  );
  const owner = video.owner;
  const [channel, comments, more] = await Promise.all([
    call(() =>
      api.GET("/api/v1/users/c/{username}", {
        params: { path: { username: owner.username } },
      })
    ),
    commentsSection(videoId),
    call(() => api.GET("/api/v1/videos", { params: { query: { limit: 12 } } })),
  ]);
  view.replaceChildren(
    h(
      "div",
      { className: "watch" },
      h(
        "article",
        {},
        // Seeking works through HTTP Range requests on /uploads (206 answers).
        h("video", {
          className: "player",
          id: "player",
          src: media(video.videoFile),
          poster: media(video.thumbnail),
          controls: true,
          preload: "metadata",
        }),
        h("h1", { id: "video-title" }, video.title),
        h(
          "div",
          { className: "channel-row" },
          h("img", {
            className: "avatar large",
            src: media(owner.avatar),
            alt: "",
          }),
          h(
            "div",
            { className: "grow" },
            h("strong", { id: "channel-name" }, owner.fullName),
            h(
              "div",
              { className: "muted", id: "subscribers" },
              count(channel.subscribersCount, "subscriber")
            )
          ),
          subscribeButton(channel),
          likeButton(video)
        ),
        h(
          "div",
          { className: "description" },
          h(
            "strong",
            {},
            `${count(video.views, "view")} · ${ago(video.createdAt)}`
          ),
          "\n",
          video.description
        ),
        comments
      ),
      h(
        "aside",
        { className: "side" },
        more.docs.filter((v) => v._id !== videoId).map(videoCard)
      )
    )
  );
}

function formPanel(title, fields, submitLabel, onSubmit, footer) {
  const error = h("p", { className: "error", id: "form-error" });
  const form = h(
    "form",
    {
      className: "panel",
      onsubmit: async (event) => {
        event.preventDefault();
        error.textContent = "";
        const button = form.querySelector("button[type=submit]");
        button.disabled = true;
        try {
          await onSubmit(form);
        } catch (failure) {
          error.textContent = messageOf(failure);
        } finally {
          button.disabled = false;
        }
      },
    },
    h("h1", {}, title),
    fields,
    error,
    h(
      "button",
      { className: "primary", type: "submit", id: "submit" },
      submitLabel
    ),
    footer
  );
  return form;
}

const field = (label, attrs) => h("label", {}, label, h("input", attrs));

function signInPage() {
  view.replaceChildren(
    formPanel(
      "Sign in",
      [
        field("Username or email", {
          name: "login",
          required: true,
          autocomplete: "username",
        }),
        field("Password", {
          name: "password",
          type: "password",
          required: true,
          autocomplete: "current-password",
        }),
      ],
      "Sign in",
      async (form) => {
        const login = form.elements.login.value.trim();
        const password = form.elements.password.value;
        const body = login.includes("@")
          ? { email: login, password }
          : { username: login, password };
        const session = await client.unwrap(
          api.POST("/api/v1/users/login", { body })
        );
        me = session.user;
        renderAccount();
        location.hash = "#/";
      },
      h(
        "p",
        { className: "muted" },
        "New here? ",
        h("a", { href: "#/signup" }, "Create an account")
      )
    )
  );
}

function signUpPage() {
  const progress = h("progress", {
    id: "upload-progress",
    max: 1,
    value: 0,
    hidden: true,
  });
  view.replaceChildren(
    formPanel(
      "Create your channel",
      [
        field("Full name", {
          name: "fullName",
          required: true,
          maxLength: 100,
        }),
        field("Username", {
          name: "username",
          required: true,
          pattern: "[a-zA-Z0-9._\\-]{3,30}",
        }),
        field("Email", { name: "email", type: "email", required: true }),
        field("Password (8+ characters)", {
          name: "password",
          type: "password",
          required: true,
          minLength: 8,
        }),
        field("Avatar", {
          name: "avatar",
          type: "file",
          accept: "image/*",
          required: true,
        }),
        field("Cover image (optional)", {
          name: "coverImage",
          type: "file",
          accept: "image/*",
        }),
        progress,
      ],
      "Sign up",
      async (form) => {
        const value = (name) => form.elements[name].value;
        progress.hidden = false;
        await client.upload("post", "/api/v1/users/register", {
          fields: {
            fullName: value("fullName"),
            username: value("username"),
            email: value("email"),
            password: value("password"),
            avatar: form.elements.avatar.files[0],
            coverImage: form.elements.coverImage.files[0],
          },
          onProgress: (loaded, total) => {
            progress.max = total;
            progress.value = loaded;
            window.videoTube.lastUpload = { loaded, total };
          },
        });
        location.hash = `#/signin?registered=${encodeURIComponent(value("username"))}`;
      },
      h(
        "p",
        { className: "muted" },
        "Have an account? ",
        h("a", { href: "#/signin" }, "Sign in")
      )
    )
  );
}

async function dashboardPage() {
  if (!me) return (location.hash = "#/signin");
  const [stats, videos] = await Promise.all([
    call(() => api.GET("/api/v1/dashboard/stats")),
    call(() =>
      api.GET("/api/v1/dashboard/videos", { params: { query: { limit: 50 } } })
    ),
  ]);
  const stat = (label, value) =>
    h(
      "div",
      { className: "stat" },
      h("strong", {}, value.toLocaleString("en")),
      h("span", { className: "muted" }, label)
    );
  view.replaceChildren(
    h("h1", {}, `${me.fullName}'s channel`),
    h(
      "section",
      { className: "stats", id: "stats" },
      stat("videos", stats.totalVideos),
      stat("views", stats.totalViews),
      stat("subscribers", stats.totalSubscribers),
      stat("likes", stats.totalLikes),
      stat("comments", stats.totalComments)
    ),
    videos.docs.length
      ? h("section", { className: "grid" }, videos.docs.map(videoCard))
      : h("p", { className: "empty" }, "No videos on your channel yet.")
  );
}

async function route() {
  const [path, search = ""] = location.hash.slice(1).split("?");
  const params = new URLSearchParams(search);
  const [, page, id] = (path || "/").split("/");
  document.body.dataset.page = page || "home";
  try {
    if (page === "watch" && id) await watchPage(id);
    else if (page === "signin") signInPage();
    else if (page === "signup") signUpPage();
    else if (page === "dashboard") await dashboardPage();
    else await homePage(params.get("query") ?? "");
    document.body.dataset.ready = location.hash || "#/";
  } catch (error) {
    view.replaceChildren(
      h("p", { className: "empty error", id: "page-error" }, messageOf(error))
    );
  }
}

document.getElementById("search").addEventListener("submit", (event) => {
  event.preventDefault();
  const query = event.target.elements.query.value.trim();
  location.hash = query ? `#/?query=${encodeURIComponent(query)}` : "#/";
});
window.addEventListener("hashchange", () => void route());

// For the two-tab test and for poking at the session from the console.
window.videoTube = { client, refreshSession, lastUpload: null };

await loadMe();
await route();
