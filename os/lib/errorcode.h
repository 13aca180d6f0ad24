/* Tock's ErrorCode values (TRD 104 §3.4), shared by every layer.
 * Functions return 0 for success or one of these (positive) codes. */
#ifndef OS_LIB_ERRORCODE_H
#define OS_LIB_ERRORCODE_H

enum k_errorcode {
    K_OK = 0,
    K_EFAIL = 1,
    K_EBUSY = 2,
    K_EALREADY = 3,
    K_EOFF = 4,
    K_ERESERVE = 5,
    K_EINVAL = 6,
    K_ESIZE = 7,
    K_ECANCEL = 8,
    K_ENOMEM = 9,
    K_ENOSUPPORT = 10,
    K_ENODEVICE = 11,
    K_EUNINSTALLED = 12,
    K_ENOACK = 13,
};

#endif
