# Rules for firmware and guest images.  They are data to the simulator:
# built with cross tools, never linked into vtsim.
#
#   vtsim_ia64_image(NAME LDSCRIPT SRC... [DEFSYMS SYM=VALUE...])
#                                           ia64-linux-gnu-as + ia64-linux-gnu-ld -> NAME.elf
#     DEFSYMS become assembler --defsym options (one source, several builds).
#   vtsim_x86_image(NAME LDSCRIPT SRC... [DEFINES D...] [DEPENDS FILE...] [LDFLAGS F...])
#                                           gcc -m32 -ffreestanding -nostdlib     -> NAME.elf
#     DEFINES become -D options (one source, several builds); DEPENDS names
#     headers whose changes rebuild the image; LDFLAGS go to the link as
#     they are (e.g. -Wl,--defsym,VQ_BASE=0x2000000 for a link address).
#
# Each makes a target NAME that is part of `all`, and sets NAME_ELF in the
# caller's scope to the output path.

find_program(IA64_AS ia64-linux-gnu-as)
find_program(IA64_LD ia64-linux-gnu-ld)
find_program(IA64_OBJDUMP ia64-linux-gnu-objdump)
find_program(X86_CC gcc)

set(VTSIM_X86_CFLAGS -m32 -march=i686 -ffreestanding -nostdlib -mgeneral-regs-only -fno-pie
    -fno-stack-protector -fno-asynchronous-unwind-tables -O2 -Wall -Wextra -Werror -std=gnu17)

function(vtsim_ia64_image name ldscript)
  if(NOT IA64_AS OR NOT IA64_LD)
    message(FATAL_ERROR "ia64-linux-gnu-as/ld not found: run scripts/setup (binutils-ia64-linux-gnu)")
  endif()
  cmake_parse_arguments(PARSE_ARGV 2 arg "" "" "DEFSYMS")
  set(defsyms)
  foreach(d ${arg_DEFSYMS})
    list(APPEND defsyms --defsym ${d})
  endforeach()
  set(objs)
  # Sources may .include the shared macro files below the source folder.
  file(GLOB_RECURSE incs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.inc)
  foreach(src ${arg_UNPARSED_ARGUMENTS})
    get_filename_component(base ${src} NAME_WE)
    set(obj ${CMAKE_CURRENT_BINARY_DIR}/${name}.${base}.o)
    add_custom_command(OUTPUT ${obj}
      COMMAND ${IA64_AS} -x -I ${CMAKE_CURRENT_SOURCE_DIR} ${defsyms} -o ${obj} ${CMAKE_CURRENT_SOURCE_DIR}/${src}
      DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${src} ${incs}
      COMMENT "ia64-as ${src}" VERBATIM)
    list(APPEND objs ${obj})
  endforeach()
  set(elf ${CMAKE_CURRENT_BINARY_DIR}/${name}.elf)
  add_custom_command(OUTPUT ${elf}
    COMMAND ${IA64_LD} -static -nostdlib -z max-page-size=4096 --no-warn-rwx-segments -T ${CMAKE_CURRENT_SOURCE_DIR}/${ldscript} -o ${elf} ${objs}
    DEPENDS ${objs} ${CMAKE_CURRENT_SOURCE_DIR}/${ldscript}
    COMMENT "ia64-ld ${name}.elf" VERBATIM)
  add_custom_target(${name} ALL DEPENDS ${elf})
  set(${name}_ELF ${elf} PARENT_SCOPE)
endfunction()

function(vtsim_x86_image name ldscript)
  cmake_parse_arguments(PARSE_ARGV 2 arg "" "" "DEFINES;DEPENDS;LDFLAGS")
  set(srcs)
  foreach(src ${arg_UNPARSED_ARGUMENTS})
    list(APPEND srcs ${CMAKE_CURRENT_SOURCE_DIR}/${src})
  endforeach()
  set(defs)
  foreach(d ${arg_DEFINES})
    list(APPEND defs -D${d})
  endforeach()
  set(deps)
  foreach(d ${arg_DEPENDS})
    list(APPEND deps ${CMAKE_CURRENT_SOURCE_DIR}/${d})
  endforeach()
  set(elf ${CMAKE_CURRENT_BINARY_DIR}/${name}.elf)
  add_custom_command(OUTPUT ${elf}
    COMMAND ${X86_CC} ${VTSIM_X86_CFLAGS} ${defs} -I ${CMAKE_CURRENT_SOURCE_DIR}
            -Wl,-T,${CMAKE_CURRENT_SOURCE_DIR}/${ldscript} ${arg_LDFLAGS} -static -no-pie -Wl,--build-id=none -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments
            -o ${elf} ${srcs}
    DEPENDS ${srcs} ${deps} ${CMAKE_CURRENT_SOURCE_DIR}/${ldscript}
    COMMENT "x86 image ${name}.elf" VERBATIM)
  add_custom_target(${name} ALL DEPENDS ${elf})
  set(${name}_ELF ${elf} PARENT_SCOPE)
endfunction()
