/* Error codes returned by every fallible function of the C core.
 * The core never calls exit() or abort(); the Cython layer maps these
 * codes to typed Python exceptions. */
#ifndef GROBNET_GB_ERRORS_H
#define GROBNET_GB_ERRORS_H

#define GB_OK 0
#define GB_ERR_NOMEM (-1)      /* an allocation failed */
#define GB_ERR_ARG (-2)        /* invalid argument (sizes, null pointers) */
#define GB_ERR_ORDER (-3)      /* unknown or malformed monomial order */
#define GB_ERR_MODULUS (-4)    /* modulus not a prime below 2^31 */
#define GB_ERR_OVERFLOW (-5)   /* exponent or degree overflow */
#define GB_ERR_INTERRUPT (-6)  /* the poll or progress callback asked to stop (e.g. Ctrl-C) */
#define GB_ERR_TIMEOUT (-7)    /* the time budget ran out */
#define GB_ERR_MEMORY_BUDGET (-8) /* the memory budget ran out */
#define GB_ERR_TRACE (-9)      /* a recorded trace does not fit this prime */

#endif
