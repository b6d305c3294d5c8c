{
  "targets": [
    {
      "target_name": "adan_blas",
      "sources": ["adan_blas.c"],
      "cflags": ["-O3", "-ffp-contract=off", "-fno-math-errno", "-fno-trapping-math", "-Wall"],
      "cflags!": ["-O2"],
      "conditions": [
        ["OS=='mac'", {
          "libraries": ["-framework Accelerate"],
          "xcode_settings": {
            "GCC_OPTIMIZATION_LEVEL": "3",
            "OTHER_CFLAGS": ["-ffp-contract=off", "-fno-math-errno", "-fno-trapping-math"],
            "MACOSX_DEPLOYMENT_TARGET": "11.0"
          }
        }],
        ["OS=='linux'", {
          "include_dirs": ["/usr/include/x86_64-linux-gnu/openblas-pthread", "/usr/include/openblas"],
          "libraries": ["-lopenblas", "-lpthread"]
        }]
      ]
    }
  ]
}
