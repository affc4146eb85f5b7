"""Filling the form the way a member does: labels, not selectors."""


def fill_valid_form(page, phone="0812 3456 7890", cooperative=True):
    page.get_by_label("Nama lengkap").fill("Maria Goreti")
    page.get_by_label("Nomor HP").fill(phone)
    page.get_by_label("Kabupaten atau kota tempat tinggal").select_option("53.07")
    page.get_by_label("Penenun atau perajin").check()
    page.get_by_label("Saya berumur 18 tahun atau lebih").check()
    if cooperative:  # the officer's form has the cooperative already
        page.get_by_label("Koperasi", exact=True).select_option("pintu-air")
    page.get_by_label("Kecelakaan kerja dan kematian (JKK + JKM)").check()
    page.get_by_label("Setuju sebagian SHU saya dipakai untuk iuran").check()
    page.get_by_label("Sebagian SHU, dalam persen").check()
    page.get_by_label("Persen dari SHU").fill("50")
    page.get_by_label("WhatsApp").check()
    page.get_by_label("Saya setuju dihubungi lewat cara yang saya pilih").check()
    page.get_by_label("Saya setuju data saya diolah untuk keperluan ini").check()
