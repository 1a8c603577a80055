# One image for the three apps; docker-compose.yml picks the command per service.
#
# trixie (Debian 13): glibc 2.41, so the uWebSockets.js build loads on Node 24 (it needs
# glibc ≥ 2.38) and sync runs the transport the benchmarks measured; and the distribution's
# maintained FFmpeg (7.x, with Debian's security updates) parses uploads, not the 2018
# build npm bundles. That bundled build stays the zero-install fallback of `npm start`
# only: it is removed from the image, and FFMPEG_PATH/FFPROBE_PATH name Debian's.
#
# tini as PID 1 reaps orphans: each FFmpeg's watchdog (apps/render/src/ffmpeg/watchdog.ts,
# which needs util-linux's setsid: Essential in Debian) outlives it for a moment and is
# re-parented to PID 1, which Node would never reap.
FROM node:24-trixie-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ffmpeg tini \
 && rm -rf /var/lib/apt/lists/*
ENTRYPOINT ["/usr/bin/tini", "--"]
WORKDIR /app
ENV NODE_ENV=production CUTLINE_HOME=/data FFMPEG_PATH=/usr/bin/ffmpeg FFPROBE_PATH=/usr/bin/ffprobe
COPY package.json package-lock.json ./
COPY apps/web/package.json apps/web/
COPY apps/sync/package.json apps/sync/
COPY apps/render/package.json apps/render/
COPY packages/timeline/package.json packages/timeline/
COPY packages/shared/package.json packages/shared/
RUN npm ci --no-audit --no-fund \
 && rm -rf node_modules/@ffmpeg-installer/linux-* node_modules/@ffprobe-installer/linux-*
COPY . .
RUN npx turbo run build --filter=@cutline/web
