/*
 * geo_embed_stub.c — an empty stand-in for the embedded geography blob
 * (src/base/embed.S), so fuzz targets can link src/geo/geo.c without the pack.
 */
const unsigned char casus_embed_geo[1] = {0}, casus_embed_geo_end[1] = {0};
