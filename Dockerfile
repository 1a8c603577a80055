# One image for the three apps; docker-compose.yml picks the command per service.
FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production CUTLINE_HOME=/data
COPY package.json package-lock.json ./
COPY apps/web/package.json apps/web/
COPY apps/sync/package.json apps/sync/
COPY apps/render/package.json apps/render/
COPY packages/timeline/package.json packages/timeline/
COPY packages/shared/package.json packages/shared/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx turbo run build --filter=@cutline/web
