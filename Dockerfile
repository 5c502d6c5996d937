# One image for every Sluice service: `docker run sluice:local <agent|ingest|processor|connect|query>`.
FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm install --omit=dev --no-audit --no-fund
COPY . .
USER node
ENTRYPOINT ["node", "scripts/sluice.ts"]
