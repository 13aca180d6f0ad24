/* Blocking wait for a button press (Yield-WaitFor on the button upcall:
 * other upcalls stay queued meanwhile). */
#ifndef LIBTOCK_SYNC_BUTTON_SYNC_H
#define LIBTOCK_SYNC_BUTTON_SYNC_H

/* Enables button's interrupt and waits for its next press (releases and
 * other buttons' events are consumed). */
int button_sync_wait_press(int button);

#endif
