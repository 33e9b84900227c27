import type { NextConfig } from "next";

// A static export: the same `out/` is served by the local gateway and by S3/CloudFront.
// trailingSlash gives every page its own `dir/index.html`, which any static server resolves.
const nextConfig: NextConfig = {
  output: "export",
  trailingSlash: true,
  images: { unoptimized: true },
  poweredByHeader: false,
};

export default nextConfig;
