/* The bundled demo (a folder of profiles, packed by pack.sh), linked into
 * the binary so that `ember` with no argument shows real data. The Makefile
 * passes -I to find the pack. */
    .section .rodata
    .global ember_demo_data
    .global ember_demo_size
    .balign 16
ember_demo_data:
    .incbin "demo.pack"
ember_demo_end:
    .balign 8
ember_demo_size:
    .quad ember_demo_end - ember_demo_data
    .section .note.GNU-stack,"",@progbits
