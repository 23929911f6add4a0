# One short, repeatable fuzzing run: what CTest's fuzz.<harness> tests do (fuzz/CMakeLists.txt).
#   cmake -DFUZZER=<harness> -DCORPUS=<seed folder> -DWORK=<scratch folder> -DRUNS=<n> -P smoke.cmake
# New inputs go to WORK/corpus, never into the committed seeds; a failing input is saved as
# WORK/crash-<sha1> (or leak-, timeout-, oom-).
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/corpus")
execute_process(
  COMMAND "${FUZZER}" -runs=${RUNS} -seed=1 -artifact_prefix=${WORK}/ -print_final_stats=1
          "${WORK}/corpus" "${CORPUS}"
  RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  file(GLOB artifacts "${WORK}/crash-*" "${WORK}/leak-*" "${WORK}/timeout-*" "${WORK}/oom-*")
  message(FATAL_ERROR "${FUZZER} failed (${result}). Failing input: ${artifacts}\n"
                      "Run it alone: ${FUZZER} <that file> (docs/FUZZING.md)")
endif()
