# cmake -DOBJDUMP=... -DELF=... -DEXPECT=text -P check_objdump.cmake
# Fails unless `objdump -d ELF` succeeds and its output contains EXPECT.
execute_process(COMMAND ${OBJDUMP} -d ${ELF} OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${OBJDUMP} -d ${ELF} failed (${rc})")
endif()
string(FIND "${out}" "${EXPECT}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "'${EXPECT}' not found in the disassembly of ${ELF}")
endif()
message(STATUS "ok: ${ELF} disassembles and contains '${EXPECT}'")
