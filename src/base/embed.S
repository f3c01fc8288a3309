/*
 * embed.S — data compiled into libcasus: the pack of shipped casus sources
 * (world facts, treaties, gazetteer; built by tools/mkpack.sh) and the
 * geography blob (data/geo/world.bin, built by tools/mkgeo.py).  Embedding
 * keeps the engine free of run-time file paths.
 */
    .section .rodata
    .balign 16
    .globl casus_embed_pack
    .hidden casus_embed_pack
casus_embed_pack:
    .incbin "builtin.pack"
    .globl casus_embed_pack_end
    .hidden casus_embed_pack_end
casus_embed_pack_end:
    .byte 0

    .balign 16
    .globl casus_embed_geo
    .hidden casus_embed_geo
casus_embed_geo:
    .incbin "world.bin"
    .globl casus_embed_geo_end
    .hidden casus_embed_geo_end
casus_embed_geo_end:
    .byte 0

    .section .note.GNU-stack,"",@progbits
