/*
 * zkynet's JNI binding to OpenBLAS's cblas_sgemm/cblas_dgemm on Java heap arrays, without copies: the
 * arrays are held with GetPrimitiveArrayCritical for the duration of the product (what FFM's critical
 * downcalls do on Java 22+). Used by zkynet.backend.blas.CriticalGemm, which checks every argument
 * (shapes, offsets, leading dimensions, array bounds) in Java before calling here, and keeps large
 * products, during which holding the arrays would delay the garbage collector, on the copying path.
 *
 * OpenBLAS itself is the library JavaCPP already loaded: bind() looks its functions up in it with
 * RTLD_NOLOAD, so this library links against nothing but libc and libdl.
 */
#include <dlfcn.h>
#include <jni.h>
#include <stddef.h>

#if defined(__x86_64__) && defined(__GLIBC__)
/* The oldest versions of these symbols, so that the library built on a new glibc (2.34 moved them
   into libc under a new version) also loads on older ones, as OpenBLAS's own natives do. */
__asm__(".symver dlopen,dlopen@GLIBC_2.2.5");
__asm__(".symver dlsym,dlsym@GLIBC_2.2.5");
__asm__(".symver dlerror,dlerror@GLIBC_2.2.5");
#endif

/* CBLAS enums (cblas.h): row-major order, no transpose, transpose. */
enum { ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112 };

typedef void (*sgemm_fn)(int order, int transA, int transB, int m, int n, int k, float alpha,
                         const float *a, int lda, const float *b, int ldb, float beta, float *c,
                         int ldc);
typedef void (*dgemm_fn)(int order, int transA, int transB, int m, int n, int k, double alpha,
                         const double *a, int lda, const double *b, int ldb, double beta,
                         double *c, int ldc);

static sgemm_fn sgemm;
static dgemm_fn dgemm;

/* Binds to the already loaded library at path; returns NULL, or what went wrong. */
JNIEXPORT jstring JNICALL Java_zkynet_backend_blas_CriticalGemm_bind(JNIEnv *env, jclass cls,
                                                                     jstring path) {
  const char *p = (*env)->GetStringUTFChars(env, path, NULL);
  if (p == NULL) {
    return NULL; /* OutOfMemoryError pending */
  }
  void *lib = dlopen(p, RTLD_NOW | RTLD_NOLOAD);
  (*env)->ReleaseStringUTFChars(env, path, p);
  if (lib == NULL) {
    const char *e = dlerror();
    return (*env)->NewStringUTF(env, e != NULL ? e : "dlopen failed");
  }
  sgemm_fn s = (sgemm_fn) dlsym(lib, "cblas_sgemm");
  dgemm_fn d = (dgemm_fn) dlsym(lib, "cblas_dgemm");
  if (s == NULL || d == NULL) {
    return (*env)->NewStringUTF(env, "cblas_sgemm or cblas_dgemm not found in the library");
  }
  sgemm = s;
  dgemm = d;
  return NULL;
}

/*
 * Holds the three arrays (any two may be the same array) and returns 1, or releases what it got and
 * returns 0 with an OutOfMemoryError pending.
 */
static int hold(JNIEnv *env, jarray a, jarray b, jarray c, void **pa, void **pb, void **pc) {
  *pa = (*env)->GetPrimitiveArrayCritical(env, a, NULL);
  if (*pa == NULL) {
    return 0;
  }
  *pb = (*env)->GetPrimitiveArrayCritical(env, b, NULL);
  if (*pb == NULL) {
    (*env)->ReleasePrimitiveArrayCritical(env, a, *pa, JNI_ABORT);
    return 0;
  }
  *pc = (*env)->GetPrimitiveArrayCritical(env, c, NULL);
  if (*pc == NULL) {
    (*env)->ReleasePrimitiveArrayCritical(env, b, *pb, JNI_ABORT);
    (*env)->ReleasePrimitiveArrayCritical(env, a, *pa, JNI_ABORT);
    return 0;
  }
  return 1;
}

/* Releases in reverse order: C's elements are kept (mode 0), A's and B's were only read. */
static void release(JNIEnv *env, jarray a, jarray b, jarray c, void *pa, void *pb, void *pc) {
  (*env)->ReleasePrimitiveArrayCritical(env, c, pc, 0);
  (*env)->ReleasePrimitiveArrayCritical(env, b, pb, JNI_ABORT);
  (*env)->ReleasePrimitiveArrayCritical(env, a, pa, JNI_ABORT);
}

JNIEXPORT void JNICALL Java_zkynet_backend_blas_CriticalGemm_heldSgemm(
    JNIEnv *env, jclass cls, jboolean transA, jboolean transB, jint m, jint n, jint k,
    jfloat alpha, jfloatArray a, jint aOff, jint lda, jfloatArray b, jint bOff, jint ldb,
    jfloat beta, jfloatArray c, jint cOff, jint ldc) {
  void *pa, *pb, *pc;
  if (!hold(env, a, b, c, &pa, &pb, &pc)) {
    return;
  }
  sgemm(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, alpha,
        (const float *) pa + aOff, lda, (const float *) pb + bOff, ldb, beta, (float *) pc + cOff,
        ldc);
  release(env, a, b, c, pa, pb, pc);
}

JNIEXPORT void JNICALL Java_zkynet_backend_blas_CriticalGemm_heldDgemm(
    JNIEnv *env, jclass cls, jboolean transA, jboolean transB, jint m, jint n, jint k,
    jdouble alpha, jdoubleArray a, jint aOff, jint lda, jdoubleArray b, jint bOff, jint ldb,
    jdouble beta, jdoubleArray c, jint cOff, jint ldc) {
  void *pa, *pb, *pc;
  if (!hold(env, a, b, c, &pa, &pb, &pc)) {
    return;
  }
  dgemm(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, alpha,
        (const double *) pa + aOff, lda, (const double *) pb + bOff, ldb, beta,
        (double *) pc + cOff, ldc);
  release(env, a, b, c, pa, pb, pc);
}
