/* Buttons (see button.h). */
#include "button.h"

#include "../syscalls/button_sys.h"

static struct {
    button_fn fn;
    void *ud;
} st;

static void changed(int button, int pressed, int unused, void *ud)
{
    (void)unused; (void)ud;
    if (st.fn)
        st.fn(button, pressed != 0, st.ud);
}

int button_count(void)
{
    uint32_t n;
    int rc = button_sys_count(&n);
    return rc < 0 ? rc : (int)n;
}

int button_on_change(button_fn fn, void *ud)
{
    st.fn = fn;
    st.ud = ud;
    return button_sys_subscribe(changed, NULL);
}

int button_enable(int button) { return button_sys_enable_interrupt((uint32_t)button); }

int button_disable(int button) { return button_sys_disable_interrupt((uint32_t)button); }

bool button_is_pressed(int button)
{
    uint32_t p = 0;
    return button_sys_read((uint32_t)button, &p) == 0 && p;
}
